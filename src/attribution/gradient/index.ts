/** The gradient family of attribution methods (Captum's definitions and defaults). */
export type { AttributionMethod } from '../types.js';
export { GradientAttribution, type GradientCall, type GradientFn, type GradientOptions } from './base.js';
export { Saliency, type SaliencyOptions } from './Saliency.js';
export { InputXGradient, type InputXGradientOptions } from './InputXGradient.js';
export { IntegratedGradients, type IntegratedGradientsOptions } from './IntegratedGradients.js';
export { NoiseTunnel, NOISE_TUNNEL_TYPES, type NoiseTunnelOptions, type NoiseTunnelType } from './NoiseTunnel.js';
export { GradientShap, type GradientShapDraws, type GradientShapOptions } from './GradientShap.js';
export { DeepLift, type DeepLiftConfig, type DeepLiftOptions } from './DeepLift.js';
export { DeepLiftShap, type DeepLiftShapOptions } from './DeepLiftShap.js';
export { GuidedBackprop, type GuidedBackpropOptions } from './GuidedBackprop.js';
export { Deconvolution, type DeconvolutionOptions } from './Deconvolution.js';
export { DEEPLIFT_OPS, DEEPLIFT_EPS, deepLiftRules, GUIDED_BACKPROP_RULES, DECONVOLUTION_RULES } from './rules/index.js';
