/**
 * The loop Captum's FeatureAblation and Occlusion share: each feature (a set of elements of a
 * row) is replaced by the baseline in turn, and F(x) − F(ablated) is credited to its elements.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import { evaluatePerturbations, rowOutputs, type PerturbationOptions } from './perturb.js';

export interface AblatedFeatures {
  readonly count: number;
  /** The elements of row `r` that feature `f` replaces. */
  elements(f: number, r: number): Int32Array;
}

/**
 * Per element: the sum of F(x) − F(x with feature f ablated) over the features f containing it,
 * or (`average`, Occlusion's overlapping windows) their mean. Copies run feature-major, all rows
 * of a feature together, as Captum orders them.
 */
export async function ablate(
  explainable: Explainable,
  x: Tensor,
  baseline: Tensor,
  features: AblatedFeatures,
  average: boolean,
  options: PerturbationOptions,
): Promise<Tensor> {
  const rows = x.shape[0]!;
  const rowSize = x.size / rows;
  const input = x.data as Float32Array;
  const base = baseline.data as Float32Array | Float64Array;
  const initial = await rowOutputs(explainable, x, options);
  const ablated = await evaluatePerturbations(explainable, x, {
    count: features.count * rows,
    rowOf: (k) => k % rows,
    fill: (k, out) => {
      const r = k % rows;
      out.set(input.subarray(r * rowSize, (r + 1) * rowSize));
      for (const e of features.elements(Math.floor(k / rows), r)) out[e] = base[r * rowSize + e]!;
    },
  }, options);
  const total = new Float64Array(x.size);
  const counts = average ? new Float64Array(x.size) : undefined;
  for (let f = 0; f < features.count; f++) {
    for (let r = 0; r < rows; r++) {
      const diff = initial[r]! - ablated[f * rows + r]!;
      for (const e of features.elements(f, r)) {
        total[r * rowSize + e] += diff;
        if (counts) counts[r * rowSize + e]++;
      }
    }
  }
  const out = new Float32Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = counts ? total[i]! / counts[i]! : total[i]!;
  return new Tensor('float32', x.shape, out);
}
