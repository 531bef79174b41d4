export { FeatureAblation, type FeatureAblationOptions } from './FeatureAblation.js';
export { Occlusion, type OcclusionOptions } from './Occlusion.js';
export { ShapleyValueSampling, type ShapleyValueSamplingOptions } from './ShapleyValueSampling.js';
export { Lime, type LimeOptions } from './Lime.js';
export { KernelShap, type KernelShapOptions } from './KernelShap.js';
export type { PerturbationOptions, BaselineOptions } from './perturb.js';
