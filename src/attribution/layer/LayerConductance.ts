import { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import { convergenceDelta, expandFeeds, expandTarget, progressPart } from '../gradient/common.js';
import type { AttributionResult, Baselines, Target } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { quadrature, type IntegrationMethod } from '../util/quadrature.js';
import { interpolate } from '../util/tensor-ops.js';
import { checkLayer, type CommonOptions } from './common.js';
import { checkInput, checkTarget } from '../util/checks.js';

export interface LayerConductanceOptions extends CommonOptions {
  target?: Target;
  baselines?: Baselines;
  nSteps?: number;
  method?: IntegrationMethod;
  returnConvergenceDelta?: boolean;
}

/**
 * Conductance of a layer's neurons (Captum's LayerConductance): along the straight path of the
 * input from the baselines, the target's gradient with respect to the layer times the change
 * of the layer from one path point to the next, summed over the path. As Captum does, the path
 * has nSteps + 1 points (the method's points for nSteps + 1) and the differences between
 * consecutive ones stand for dLayer/dα · Δα, so the method's weights are not used.
 */
export class LayerConductance {
  constructor(readonly explainable: Explainable, readonly layer: string) {
    checkLayer(explainable.model, layer);
  }

  async attribute(input: Tensor, options: LayerConductanceOptions = {}): Promise<AttributionResult> {
    const extra = options.additionalForwardArgs ?? {};
    const rows = input.shape[0]!;
    const nSteps = options.nSteps ?? 50;
    checkInput(input);
    checkTarget(options.target, rows);
    const baseline = expandBaseline(input, options.baselines);
    const { alphas } = quadrature(options.method ?? 'gausslegendre', nSteps + 1);
    const sum = new ConductanceSum();
    // Path points go in blocks (each chunked again by the Explainable under its memory budget).
    const perBlock = Math.max(1, Math.floor(BLOCK_VALUES / input.size));
    for (let start = 0; start < alphas.length; start += perBlock) {
      const end = Math.min(alphas.length, start + perBlock);
      const steps = end - start;
      const { gradients, values } = await this.explainable.vjp(interpolate(baseline, input, alphas.slice(start, end)), {
        wrt: this.layer,
        keep: [this.layer],
        target: expandTarget(options.target, steps, 'tile'),
        ...(options.internalBatchSize ? { batchSize: options.internalBatchSize } : {}),
        ...(options.onProgress ? { onProgress: progressPart(options.onProgress, start * rows, alphas.length * rows) } : {}),
      }, expandFeeds(extra, rows, steps, 'tile'));
      sum.add(gradients, values[this.layer]!, steps);
    }
    const attributions = sum.result(rows);
    if (!options.returnConvergenceDelta) return { attributions };
    // Captum's delta: Σ attributions − (F(x) − F(x′)), with F at the true end points.
    const delta = await convergenceDelta(this.explainable, attributions, baseline, input, options.target, extra, options.internalBatchSize);
    return { attributions, delta };
  }
}

/** Interpolated inputs are built this many values at a time at most (64 MiB of float32). */
const BLOCK_VALUES = 1 << 24;

/**
 * Σ_{k<n} grad_k · (layer_{k+1} − layer_k) over path points that arrive in blocks stacked
 * α-major ([rows at α_k, rows at α_k+1, ...]); the last point of a block pairs with the first
 * of the next.
 */
export class ConductanceSum {
  private sum?: Float64Array;
  private shape: readonly number[] = [];
  private last?: { gradient: Float32Array; layer: Float32Array };

  add(gradients: Tensor, layer: Tensor, steps: number): void {
    const block = layer.size / steps;
    this.sum ??= new Float64Array(block);
    this.shape = layer.shape.slice(1);
    const g = gradients.data as Float32Array;
    const a = layer.data as Float32Array;
    const sum = this.sum;
    for (let k = 0; k < steps; k++) {
      const here = a.subarray(k * block, (k + 1) * block);
      if (this.last) {
        const { gradient, layer: previous } = this.last;
        for (let i = 0; i < block; i++) sum[i] += gradient[i]! * (here[i]! - previous[i]!);
      }
      this.last = { gradient: g.subarray(k * block, (k + 1) * block), layer: here };
    }
  }

  result(rows: number): Tensor {
    return new Tensor('float32', [rows, ...this.shape], Float32Array.from(this.sum!));
  }
}
