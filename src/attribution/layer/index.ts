export { GuidedGradCam, type GuidedGradCamOptions } from './GuidedGradCam.js';
export { LayerActivation, type LayerActivationOptions } from './LayerActivation.js';
export { LayerConductance, type LayerConductanceOptions } from './LayerConductance.js';
export { LayerGradCam, type LayerGradCamOptions } from './LayerGradCam.js';
export { LayerIntegratedGradients, type LayerIntegratedGradientsOptions } from './LayerIntegratedGradients.js';
export { interpolateLayer, INTERPOLATE_MODES, type InterpolateMode } from './upsample.js';
export type { CommonOptions } from './common.js';
