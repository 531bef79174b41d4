import { GlassboxError } from '../../util/errors.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult, Target } from '../types.js';
import { checkLayer, declaredRank, layerInputOf, type CommonOptions } from './common.js';
import { interpolateLayer, type InterpolateMode } from './upsample.js';

export interface LayerGradCamOptions extends CommonOptions {
  target?: Target;
  /** ReLU on the map, keeping only what pushes toward the target (the original Grad-CAM). */
  reluAttributions?: boolean;
  /** Attribute to the input of the node producing the layer instead of its output. */
  attributeToLayerInput?: boolean;
  /** Resize the map to the input's spatial dims, as LayerAttribution.interpolate does. */
  upsample?: InterpolateMode;
}

/**
 * Grad-CAM (Captum's LayerGradCam): the layer's channels weighted by the spatial mean of the
 * target's gradient with respect to them, summed over channels — a [batch, 1, ...spatial] map.
 */
export class LayerGradCam {
  constructor(readonly explainable: Explainable, readonly layer: string) {
    checkLayer(explainable.model, layer);
  }

  async attribute(input: Tensor, options: LayerGradCamOptions = {}): Promise<AttributionResult> {
    const model = this.explainable.model;
    const layer = options.attributeToLayerInput ? layerInputOf(model, this.layer) : this.layer;
    const rank = declaredRank(model, layer);
    if (rank !== undefined) checkSpatial(layer, rank);
    const { gradients, values } = await this.explainable.vjp(input, {
      wrt: layer,
      keep: [layer],
      target: options.target,
      ...(options.internalBatchSize ? { batchSize: options.internalBatchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    }, options.additionalForwardArgs);
    const activations = values[layer]!;
    checkSpatial(layer, activations.rank);
    let map = gradCam(gradients, activations, options.reluAttributions ?? false);
    if (options.upsample) {
      if (input.rank !== map.rank) {
        throw new GlassboxError('not-applicable', `cannot upsample the Grad-CAM map of shape ${formatShape(map.shape)} to an input of shape ${formatShape(input.shape)} (the spatial dims differ in number)`);
      }
      map = interpolateLayer(map, input.shape.slice(2), options.upsample);
    }
    return { attributions: map };
  }
}

function checkSpatial(layer: string, rank: number): void {
  if (rank < 3) {
    throw new GlassboxError('not-applicable', `Grad-CAM needs a spatial layer [batch, channels, ...spatial]; "${layer}" has rank ${rank} (pick a convolution's output)`);
  }
}

/** Σ_c mean_s(∂y/∂A[c, s]) · A[c, ·] per row, optionally ReLU'd. */
function gradCam(gradients: Tensor, activations: Tensor, relu: boolean): Tensor {
  const [rows, channels] = [activations.shape[0]!, activations.shape[1]!];
  const spatial = activations.shape.slice(2);
  const plane = sizeOf(spatial);
  const g = gradients.data as Float32Array;
  const a = activations.data as Float32Array;
  const out = new Float32Array(rows * plane);
  const acc = new Float64Array(plane);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    for (let c = 0; c < channels; c++) {
      const offset = (r * channels + c) * plane;
      let mean = 0;
      for (let s = 0; s < plane; s++) mean += g[offset + s]!;
      mean /= plane;
      for (let s = 0; s < plane; s++) acc[s] += mean * a[offset + s]!;
    }
    for (let s = 0; s < plane; s++) out[r * plane + s] = relu ? Math.max(0, acc[s]!) : acc[s]!;
  }
  return new Tensor('float32', [rows, 1, ...spatial], out);
}
