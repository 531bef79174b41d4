import { GlassboxError } from '../../util/errors.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult, Target } from '../types.js';
import type { CommonOptions } from './common.js';
import { GuidedBackprop } from '../gradient/GuidedBackprop.js';
import { LayerGradCam } from './LayerGradCam.js';
import type { InterpolateMode } from './upsample.js';

export interface GuidedGradCamOptions extends CommonOptions {
  target?: Target;
  /** How the Grad-CAM map is resized to the input (Captum's default: nearest). */
  interpolateMode?: InterpolateMode;
  attributeToLayerInput?: boolean;
}

/**
 * Guided Grad-CAM (Captum's GuidedGradCam): guided-backpropagation input gradients times the
 * ReLU'd Grad-CAM map of the layer upsampled to the input, the map shared by every channel.
 */
export class GuidedGradCam {
  private readonly gradCam: LayerGradCam;
  private readonly guidedBackprop: GuidedBackprop;

  constructor(readonly explainable: Explainable, readonly layer: string) {
    this.gradCam = new LayerGradCam(explainable, layer);
    this.guidedBackprop = new GuidedBackprop(explainable);
  }

  async attribute(input: Tensor, options: GuidedGradCamOptions = {}): Promise<AttributionResult> {
    if (input.rank < 3) {
      throw new GlassboxError('not-applicable', `Guided Grad-CAM needs a spatial input [batch, channels, ...spatial]; this one has shape ${formatShape(input.shape)}`);
    }
    const common = {
      target: options.target,
      ...(options.additionalForwardArgs ? { additionalForwardArgs: options.additionalForwardArgs } : {}),
      ...(options.internalBatchSize ? { internalBatchSize: options.internalBatchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    const { attributions: map } = await this.gradCam.attribute(input, {
      ...common,
      reluAttributions: true,
      upsample: options.interpolateMode ?? 'nearest',
      attributeToLayerInput: options.attributeToLayerInput ?? false,
    });
    const { attributions: guided } = await this.guidedBackprop.attribute(input, common);
    return { attributions: guidedGradCam(guided, map) };
  }
}

/** guided[n, c, s] · map[n, 0, s]. */
function guidedGradCam(guided: Tensor, map: Tensor): Tensor {
  const [rows, channels] = [guided.shape[0]!, guided.shape[1]!];
  const plane = sizeOf(guided.shape.slice(2));
  const g = guided.data as Float32Array;
  const m = map.data as Float32Array;
  const out = new Float32Array(g.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const offset = (r * channels + c) * plane;
      for (let s = 0; s < plane; s++) out[offset + s] = g[offset + s]! * m[r * plane + s]!;
    }
  }
  return new Tensor('float32', guided.shape, out);
}
