import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { forwardValues, layerInputOf, modelFor, type CommonOptions } from './common.js';

export interface LayerActivationOptions extends CommonOptions {
  /** The input of the node producing the layer instead of its output. */
  attributeToLayerInput?: boolean;
}

/**
 * The layer's values for the input (Captum's LayerActivation). Token ids may be given for a
 * model cut at its embeddings: the uncut model computes them.
 */
export class LayerActivation {
  constructor(readonly explainable: Explainable, readonly layer: string) {}

  async attribute(input: Tensor, options: LayerActivationOptions = {}): Promise<AttributionResult> {
    const extra = options.additionalForwardArgs ?? {};
    const layer = options.attributeToLayerInput ? layerInputOf(modelFor(this.explainable, input, extra).model, this.layer) : this.layer;
    const values = await forwardValues(this.explainable, input, [layer], extra, {
      ...(options.internalBatchSize ? { batchSize: options.internalBatchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { attributions: values[layer]! };
  }
}
