import { GlassboxError } from '../../util/errors.js';
import { Random } from '../../util/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { featureMask, maskRow } from './feature-mask.js';
import { asFloat32, evaluatePerturbations, rowOutputs, type BaselineOptions } from './perturb.js';
import { checkCount, checkInput, checkTarget } from '../util/checks.js';

export interface ShapleyValueSamplingOptions extends BaselineOptions {
  /** Feature ids per element (integers ≥ 0), shaped like one row, like the input, or broadcast to it. */
  featureMask?: Tensor;
  /** Random feature orders to average over (default 25). */
  nSamples?: number;
  /** Seed of the random orders (default 0). */
  seed?: number;
  /** Given feature orders, each a permutation of 0 … number of features − 1 (then nSamples is their count). */
  permutations?: readonly (readonly number[])[];
}

/**
 * Captum's ShapleyValueSampling: for each of nSamples random orders of the features (ids
 * 0 … max of the mask), start from the baseline and add the features' input values one at a
 * time; a feature's attribution is its mean marginal change of F. Each order telescopes, so the
 * features' attributions sum to F(x) − F(baseline) exactly.
 */
export class ShapleyValueSampling {
  constructor(readonly explainable: Explainable) {}

  async attribute(input: Tensor, options: ShapleyValueSamplingOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    checkCount(options.nSamples, 'nSamples');
    const baseline = expandBaseline(input, options.baselines);
    const mask = featureMask(input, options.featureMask);
    const orders = options.permutations?.map((p) => checkPermutation(p, mask.count))
      ?? Array.from({ length: options.nSamples ?? 25 }, ((random) => () => random.permutation(mask.count))(new Random(options.seed ?? 0)));
    if (orders.length === 0) throw new GlassboxError('bad-option', 'give at least one permutation');
    return { attributions: await shapleySampling(this.explainable, input, baseline, mask, orders, options) };
  }
}

function checkPermutation(order: readonly number[], count: number): Int32Array {
  const seen = new Uint8Array(count);
  for (const f of order) if (Number.isInteger(f) && f >= 0 && f < count) seen[f] = 1;
  if (order.length !== count || seen.some((s) => s === 0)) {
    throw new GlassboxError('bad-option', `each permutation must order the features 0 … ${count - 1} once each, got [${order.slice(0, 8).join(', ')}${order.length > 8 ? ', …' : ''}]`);
  }
  return Int32Array.from(order);
}

/**
 * Copy (p, i, r) is row r with the first i + 1 features of order p at their input values and the
 * rest at the baseline; its F minus the previous copy's (F(baseline) for i = 0) is the marginal
 * contribution of feature order[i], credited to that feature's elements of row r.
 */
async function shapleySampling(
  explainable: Explainable,
  x: Tensor,
  baseline: Tensor,
  mask: ReturnType<typeof featureMask>,
  orders: readonly Int32Array[],
  options: ShapleyValueSamplingOptions,
): Promise<Tensor> {
  const rows = x.shape[0]!;
  const rowSize = x.size / rows;
  const features = mask.count;
  const input = x.data as Float32Array;
  const base = baseline.data as Float32Array | Float64Array;
  const ranks = orders.map((order) => {
    const rank = new Int32Array(features);
    order.forEach((f, i) => { rank[f] = i; });
    return rank;
  });
  const perOrder = features * rows;
  const start = await rowOutputs(explainable, asFloat32(baseline), options);
  const values = await evaluatePerturbations(explainable, x, {
    count: orders.length * perOrder,
    rowOf: (k) => k % rows,
    fill: (k, out) => {
      const rank = ranks[Math.floor(k / perOrder)]!;
      const added = Math.floor((k % perOrder) / rows);
      const r = k % rows;
      const ids = maskRow(mask, r);
      for (let e = 0; e < rowSize; e++) out[e] = rank[ids[e]!]! <= added ? input[r * rowSize + e]! : base[r * rowSize + e]!;
    },
  }, options);
  const total = new Float64Array(x.size);
  for (let r = 0; r < rows; r++) {
    const ids = maskRow(mask, r);
    const credit = new Float64Array(features);
    orders.forEach((order, p) => {
      let previous = start[r]!;
      for (let i = 0; i < features; i++) {
        const current = values[p * perOrder + i * rows + r]!;
        credit[order[i]!] += current - previous;
        previous = current;
      }
    });
    for (let e = 0; e < rowSize; e++) total[r * rowSize + e] = credit[ids[e]!]! / orders.length;
  }
  return new Tensor('float32', x.shape, Float32Array.from(total));
}
