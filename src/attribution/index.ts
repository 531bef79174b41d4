/**
 * The attribution suite: Captum's methods over ONNX models, with the Explainable core, the
 * text helpers and the metrics. `methods.ts` maps Captum's kebab-case names to the classes.
 */
export { Explainable, type ExplainableOptions, type VjpRequest } from './explainable.js';
export type { AttributeOptions, AttributionMethod, AttributionResult, Baselines, Target } from './types.js';
export { quadrature, INTEGRATION_METHODS, type IntegrationMethod } from './util/quadrature.js';
export * from './gradient/index.js';
export * from './perturbation/index.js';
export * from './layer/index.js';
export * from './neuron/index.js';
export * from './text/index.js';
export * from './metrics/index.js';
export { configureMethod, METHODS, METHOD_NAMES, type ConfiguredMethod, type MethodFamily, type MethodParams } from './methods.js';
