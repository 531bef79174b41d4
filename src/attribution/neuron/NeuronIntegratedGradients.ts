import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import { IntegratedGradients } from '../gradient/IntegratedGradients.js';
import type { AttributionResult, Baselines } from '../types.js';
import type { IntegrationMethod } from '../util/quadrature.js';
import { checkLayer, type CommonOptions } from '../layer/common.js';
import { neuronSeed, type NeuronSelector } from './selector.js';

export interface NeuronIntegratedGradientsOptions extends CommonOptions {
  neuronSelector: NeuronSelector;
  baselines?: Baselines;
  nSteps?: number;
  method?: IntegrationMethod;
}

/**
 * Integrated gradients of one neuron of a layer with respect to the input (Captum's
 * NeuronIntegratedGradients): an IntegratedGradients whose gradient function is the neuron's
 * gradient instead of the target's.
 */
export class NeuronIntegratedGradients {
  constructor(readonly explainable: Explainable, readonly layer: string) {
    checkLayer(explainable.model, layer);
  }

  async attribute(input: Tensor, options: NeuronIntegratedGradientsOptions): Promise<AttributionResult> {
    const ig = new IntegratedGradients(this.explainable);
    const seed = neuronSeed(this.layer, options.neuronSelector);
    ig.gradientFn = async (x, call, extra) => (await this.explainable.vjp(x, {
      of: this.layer,
      seed,
      ...(call.batchSize ? { batchSize: call.batchSize } : {}),
      ...(call.onProgress ? { onProgress: call.onProgress } : {}),
    }, extra)).gradients;
    const { attributions } = await ig.attribute(input, {
      nSteps: options.nSteps ?? 50,
      method: options.method ?? 'gausslegendre',
      ...(options.baselines !== undefined ? { baselines: options.baselines } : {}),
      ...(options.additionalForwardArgs ? { additionalForwardArgs: options.additionalForwardArgs } : {}),
      ...(options.internalBatchSize ? { internalBatchSize: options.internalBatchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { attributions };
  }
}
