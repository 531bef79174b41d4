/**
 * Elementwise arithmetic on float tensors for the attribution methods (which combine gradients,
 * inputs and baselines in TypeScript). Results are float32 unless said otherwise.
 */
import { GlassboxError } from '../../util/errors.js';
import { formatShape, sameShape, sizeOf } from '../../tensor/shape.js';
import { concatBatch, Tensor } from '../../tensor/tensor.js';

type Floats = Float32Array | Float64Array;

function floats(t: Tensor): Floats {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new GlassboxError('bad-dtype', `attribution arithmetic needs float tensors, got ${t.dtype}`);
  return t.data as Floats;
}

function same(a: Tensor, b: Tensor, what: string): void {
  if (!sameShape(a.shape, b.shape)) throw new GlassboxError('bad-shape', `${what}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ`);
}

export function map(t: Tensor, f: (v: number, i: number) => number): Tensor {
  const src = floats(t);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!, i);
  return new Tensor('float32', t.shape, out);
}

export function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number, what = 'combine'): Tensor {
  same(a, b, what);
  const [x, y] = [floats(a), floats(b)];
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, y[i]!);
  return new Tensor('float32', a.shape, out);
}

export const add = (a: Tensor, b: Tensor): Tensor => zip(a, b, (x, y) => x + y, 'add');
export const sub = (a: Tensor, b: Tensor): Tensor => zip(a, b, (x, y) => x - y, 'subtract');
export const mul = (a: Tensor, b: Tensor): Tensor => zip(a, b, (x, y) => x * y, 'multiply');
export const scale = (a: Tensor, s: number): Tensor => map(a, (v) => v * s);

/** a + s·(b − a) for each of `alphas`, stacked along axis 0: [alphas.length · rows, ...]. */
export function interpolate(a: Tensor, b: Tensor, alphas: readonly number[]): Tensor {
  same(a, b, 'interpolate');
  const [x, y] = [floats(a), floats(b)];
  const out = new Float32Array(alphas.length * x.length);
  alphas.forEach((alpha, k) => {
    const offset = k * x.length;
    for (let i = 0; i < x.length; i++) out[offset + i] = x[i]! + alpha * (y[i]! - x[i]!);
  });
  return new Tensor('float32', [alphas.length * a.shape[0]!, ...a.shape.slice(1)], out);
}

/** Σ_k w_k · stacked[k] where `stacked` holds `weights.length` blocks of shape `shape` along axis 0. */
export function weightedSum(stacked: Tensor, weights: readonly number[], shape: readonly number[]): Tensor {
  const data = floats(stacked);
  const n = sizeOf(shape);
  if (data.length !== n * weights.length) throw new GlassboxError('internal', `weightedSum: ${data.length} values for ${weights.length} blocks of ${formatShape(shape)}`);
  const out = new Float64Array(n);
  weights.forEach((w, k) => {
    const offset = k * n;
    for (let i = 0; i < n; i++) out[i] += w * data[offset + i]!;
  });
  return new Tensor('float32', shape, Float32Array.from(out));
}

/** Row sums over all non-batch dims, in float64. */
export function rowSums(t: Tensor): Float64Array {
  const rows = t.shape[0]!;
  const per = t.size / rows;
  const data = floats(t);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < per; i++) s += data[r * per + i]!;
    out[r] = s;
  }
  return out;
}

/**
 * Rows repeated `times` times, the two ways Captum expands them: 'tile' (torch.cat([t] * n):
 * IG's steps, DeepLift's input/baseline halves) or 'interleave' (repeat_interleave: samples per
 * row). Any element type (token ids too).
 */
export function expandRows(t: Tensor, times: number, how: 'tile' | 'interleave'): Tensor {
  if (times === 1) return t;
  if (how === 'tile') return concatBatch(Array.from({ length: times }, () => t));
  const parts: Tensor[] = [];
  for (let r = 0; r < t.shape[0]!; r++) {
    const row = t.sliceBatch(r, r + 1);
    for (let k = 0; k < times; k++) parts.push(row);
  }
  return concatBatch(parts);
}

/** Each row repeated `times` times consecutively ([r0, r0, …, r1, r1, …]). */
export function repeatEachRow(t: Tensor, times: number): Tensor {
  return expandRows(t, times, 'interleave');
}
