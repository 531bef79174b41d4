import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { checkLayer, type CommonOptions } from '../layer/common.js';
import { neuronSeed, type NeuronSelector } from './selector.js';

export interface NeuronGradientOptions extends CommonOptions {
  /** The neuron: its index within one row of the layer. */
  neuronSelector: NeuronSelector;
}

/** The gradient of one neuron of a layer with respect to the input (Captum's NeuronGradient). */
export class NeuronGradient {
  constructor(readonly explainable: Explainable, readonly layer: string) {
    checkLayer(explainable.model, layer);
  }

  async attribute(input: Tensor, options: NeuronGradientOptions): Promise<AttributionResult> {
    const { gradients } = await this.explainable.vjp(input, {
      of: this.layer,
      seed: neuronSeed(this.layer, options.neuronSelector),
      ...(options.internalBatchSize ? { batchSize: options.internalBatchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    }, options.additionalForwardArgs);
    return { attributions: gradients };
  }
}
