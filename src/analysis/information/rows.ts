/**
 * Row helpers for the noisy batch: extra feeds repeated per row, and a layer's value rearranged
 * so that the axis that grows with the batch comes first (what the optimisation graph does with
 * a Transpose before splitting the rows per layer and per noise draw).
 */
import type { Feeds } from '../../runtime/feeds.js';
import type { ValueInfo } from '../../onnx/ir/value.js';
import { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';

/** `t` (one row) repeated `rows` times along axis 0. */
export function repeatRows(t: Tensor, rows: number): Tensor {
  if (rows === 1) return t;
  // Same typed-array kind on both sides (int64 ids, float masks): a plain block copy per row.
  const data = t.data as unknown as Float32Array;
  const out = Tensor.zeros(t.dtype, [rows * t.shape[0]!, ...t.shape.slice(1)]);
  for (let r = 0; r < rows; r++) (out.data as unknown as Float32Array).set(data, r * data.length);
  return out;
}

/**
 * Feeds for `rows` noisy rows: each extra input whose first dim is a batch dim (symbolic in the
 * declaration) and that was given with one row is repeated; others pass as they are.
 */
export function extraFeeds(declared: readonly ValueInfo[], extra: Feeds, rows: number): Feeds {
  const out: Feeds = {};
  for (const info of declared) {
    const t = extra[info.name];
    if (!t) throw new GlassboxError('bad-input', `the model also reads input "${info.name}"; pass it in extra (one row)`);
    const batched = info.shape !== undefined && typeof info.shape[0] !== 'number';
    if (batched && t.shape[0] !== 1) throw new GlassboxError('bad-input', `extra input "${info.name}" must have one row (shape [1, ...]), got [${t.shape.join(', ')}]`);
    out[info.name] = batched ? repeatRows(t, rows) : t;
  }
  return out;
}

/** The elements of a [.., n_axis, ..] value reordered so that `axis` comes first (a Transpose). */
export function axisFirst(data: Float32Array, shape: readonly number[], axis: number): Float32Array {
  if (axis === 0) return data;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const mid = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.length);
  for (let o = 0; o < outer; o++) {
    for (let m = 0; m < mid; m++) {
      const from = (o * mid + m) * inner;
      out.set(data.subarray(from, from + inner), (m * outer + o) * inner);
    }
  }
  return out;
}

/** The permutation that moves `axis` of a rank-`rank` value first. */
export function axisFirstPerm(axis: number, rank: number): number[] {
  return [axis, ...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis)];
}
