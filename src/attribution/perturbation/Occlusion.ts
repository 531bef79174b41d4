import { GlassboxError } from '../../util/errors.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { ablate, type AblatedFeatures } from './ablation.js';
import { type BaselineOptions } from './perturb.js';
import { checkInput, checkTarget } from '../util/checks.js';

export interface OcclusionOptions extends BaselineOptions {
  /** The window's shape, one extent per input dim after the batch dim. */
  slidingWindowShapes: readonly number[];
  /** The window's step, for every dim or one per dim (default 1). */
  strides?: number | readonly number[];
}

/**
 * Captum's Occlusion: a window slides over each row from the origin by `strides` (the last
 * window in a dim may be cut off by the edge); each position is replaced by the baseline, and an
 * element's attribution is the mean of F(x) − F(occluded) over the windows that cover it.
 */
export class Occlusion {
  constructor(readonly explainable: Explainable) {}

  async attribute(input: Tensor, options: OcclusionOptions): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    const rowShape = input.shape.slice(1);
    const windows = slidingWindows(rowShape, options.slidingWindowShapes, options.strides ?? 1);
    const baseline = expandBaseline(input, options.baselines);
    return { attributions: await ablate(this.explainable, input, baseline, windows, true, options) };
  }
}

/**
 * The window positions as features. Position f counts shifts with the first dim fastest
 * (Captum's _occlusion_mask); dim d has ceil((D − W) / s) + 1 shifts.
 */
export function slidingWindows(rowShape: readonly number[], window: readonly number[], strides: number | readonly number[]): AblatedFeatures {
  const rank = rowShape.length;
  if (!Array.isArray(window) || window.length !== rank) {
    throw new GlassboxError('bad-option', `slidingWindowShapes must give ${rank} extents (one per input dim after the batch dim, rows are ${formatShape(rowShape)}), got ${JSON.stringify(window)}`);
  }
  const step = typeof strides === 'number' ? new Array<number>(rank).fill(strides) : [...(strides as readonly number[])];
  if (step.length !== rank) throw new GlassboxError('bad-option', `strides must be one number or ${rank} (one per window dim), got ${JSON.stringify(strides)}`);
  const shifts: number[] = [];
  for (let d = 0; d < rank; d++) {
    const [size, w, s] = [rowShape[d]!, window[d]!, step[d]!];
    if (!Number.isInteger(w) || w < 1) throw new GlassboxError('bad-option', `window extents must be positive integers, got ${formatShape(window)}`);
    if (!Number.isInteger(s) || s < 1) throw new GlassboxError('bad-option', `strides must be positive integers, got ${JSON.stringify(strides)}`);
    if (w > size) throw new GlassboxError('bad-option', `the sliding window ${formatShape(window)} is larger than the input rows ${formatShape(rowShape)} (dim ${d + 1})`);
    if (w < size && s > w) throw new GlassboxError('bad-option', `a stride (${s}) larger than the window (${w}) would skip elements (dim ${d + 1}); use strides ≤ the window`);
    shifts.push(Math.ceil((size - w) / s) + 1);
  }
  const rowStrides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) rowStrides[d] = rowStrides[d + 1]! * rowShape[d + 1]!;
  let cached = -1;
  let cache = new Int32Array(0);
  const elements = (f: number): Int32Array => {
    if (f === cached) return cache;
    const lo: number[] = [];
    const hi: number[] = [];
    let rest = f;
    for (let d = 0; d < rank; d++) {
      lo.push((rest % shifts[d]!) * step[d]!);
      hi.push(Math.min(lo[d]! + window[d]!, rowShape[d]!));
      rest = Math.floor(rest / shifts[d]!);
    }
    const out = new Int32Array(hi.reduce((n, h, d) => n * (h - lo[d]!), 1));
    const at = [...lo];
    for (let k = 0; k < out.length; k++) {
      out[k] = at.reduce((s, v, d) => s + v * rowStrides[d]!, 0);
      for (let d = rank - 1; d >= 0; d--) {
        if (++at[d]! < hi[d]!) break;
        at[d] = lo[d]!;
      }
    }
    [cached, cache] = [f, out];
    return out;
  };
  return { count: shifts.reduce((a, b) => a * b, 1), elements: (f) => elements(f) };
}
