/**
 * s, the feature scale the loss divides by: (Φ(x̃) − Φ(x))² / s². The reference takes the
 * per-dimension std of Φ over inputs sampled from the dataset (calculate_regularization), with
 * the axes whose length varies between inputs (the sentence length) averaged first. Here:
 *
 * - `given`: a tensor broadcastable to the layer's value for one row;
 * - `samples`: Φ of each sample; axes whose size differs from Φ(x)'s in any sample are averaged
 *   (the reference's reduced_axes), then the population std over the samples (np.std), per
 *   remaining element, broadcast back over the averaged axes. Padded, fixed-length inputs thus
 *   get a per-position, per-dimension s;
 * - fallback `positions` (no s, no samples): the std of Φ(x) over its positions, per feature —
 *   the feature axis is the value's last axis, every other axis is a position;
 * - fallback `rms` when Φ(x) has a single position (a pooled vector): the reference's own rule
 *   without a regulariser, s² = mean(Φ(x)²), one number.
 *
 * A dimension that never varies would get s = 0, making any change infinitely costly; s is
 * floored at 1e-3 × its mean over the layer.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import { broadcastTo, meanOver, sizeOf } from './nd.js';
import { axisFirst } from './rows.js';
import type { NormalizerSource } from './types.js';

export interface Normalizer {
  /** 1/s² per element of the layer's value for one row, batch axis first (the graph's layout). */
  inverseSquare: Float32Array;
  source: NormalizerSource;
}

/**
 * s for one layer: `clean` is Φ(x) for one row, `batchAxis` its batch axis, `given` an s tensor
 * and `samples` Φ of sampled inputs (one row each), in that order of preference.
 */
export function normalizer(layer: string, clean: Tensor, batchAxis: number, options: { given?: Tensor; samples?: readonly Tensor[] }): Normalizer {
  const shape = clean.shape;
  let s: Float64Array;
  let source: NormalizerSource;
  if (options.given) {
    s = broadcastTo(options.given.toNumbers(), options.given.shape, shape, `s for layer "${layer}"`);
    source = 'given';
  } else if (options.samples && options.samples.length > 0) {
    s = fromSamples(layer, shape, options.samples);
    source = 'samples';
  } else {
    ({ s, source } = fromPositions(clean));
  }
  return { inverseSquare: inverseSquare(layer, s, shape, batchAxis), source };
}

function fromSamples(layer: string, shape: readonly number[], samples: readonly Tensor[]): Float64Array {
  if (samples.length < 2) throw new GlassboxError('bad-option', 'a std over samples needs at least 2 sampled inputs');
  for (const v of samples) {
    if (v.rank !== shape.length) throw new GlassboxError('bad-option', `layer "${layer}" has rank ${v.rank} for a sample but ${shape.length} for the input`);
  }
  const reduced = new Set(shape.flatMap((d, i) => (samples.some((v) => v.shape[i] !== d) ? [i] : [])));
  const means = samples.map((v) => meanOver(v.data as Float32Array, v.shape, reduced));
  const kept = means[0]!.shape;
  const n = sizeOf(kept);
  const std = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    let sum = 0;
    for (const m of means) sum += m.data[e]!;
    const mean = sum / means.length;
    let sq = 0;
    for (const m of means) sq += (m.data[e]! - mean) ** 2;
    std[e] = Math.sqrt(sq / means.length);
  }
  return broadcastTo(std, kept, shape, `s for layer "${layer}"`);
}

function fromPositions(clean: Tensor): { s: Float64Array; source: NormalizerSource } {
  const data = clean.data as Float32Array;
  const features = clean.shape[clean.rank - 1] ?? 1;
  const positions = data.length / features;
  if (positions <= 1) {
    let sq = 0;
    for (const v of data) sq += v * v;
    return { s: new Float64Array(data.length).fill(Math.sqrt(sq / data.length)), source: 'rms' };
  }
  const { data: mean } = meanOver(data, [positions, features], new Set([0]));
  const sq = new Float64Array(data.length);
  for (let e = 0; e < data.length; e++) sq[e] = (data[e]! - mean[e % features]!) ** 2;
  const { data: variance } = meanOver(sq, [positions, features], new Set([0]));
  return { s: broadcastTo(variance.map(Math.sqrt), [features], clean.shape, 's'), source: 'positions' };
}

function inverseSquare(layer: string, s: Float64Array, shape: readonly number[], batchAxis: number): Float32Array {
  let total = 0;
  for (const v of s) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new GlassboxError('bad-option', `s for layer "${layer}" must be finite and ≥ 0, got ${v}`);
    total += v;
  }
  const floor = total > 0 ? 1e-3 * (total / s.length) : 1;
  const out = new Float32Array(s.length);
  for (let e = 0; e < s.length; e++) out[e] = 1 / Math.max(s[e]!, floor) ** 2;
  return axisFirst(out, shape, batchAxis);
}
