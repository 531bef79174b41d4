export { NeuronGradient, type NeuronGradientOptions } from './NeuronGradient.js';
export { NeuronIntegratedGradients, type NeuronIntegratedGradientsOptions } from './NeuronIntegratedGradients.js';
export type { NeuronSelector } from './selector.js';
