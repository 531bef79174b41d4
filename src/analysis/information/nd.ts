/** The few n-d array operations the normaliser needs, on row-major Float64Arrays. */
import { GlassboxError } from '../../util/errors.js';

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = out[i + 1]! * shape[i + 1]!;
  return out;
}

/** `data` of shape `from` broadcast (NumPy rules, aligned on the right) to shape `to`. */
export function broadcastTo(data: ArrayLike<number>, from: readonly number[], to: readonly number[], what: string): Float64Array {
  if (from.length > to.length) throw new GlassboxError('bad-option', `${what} has shape [${from.join(', ')}], which does not broadcast to [${to.join(', ')}]`);
  const padded = [...new Array<number>(to.length - from.length).fill(1), ...from];
  if (padded.some((d, i) => d !== 1 && d !== to[i])) throw new GlassboxError('bad-option', `${what} has shape [${from.join(', ')}], which does not broadcast to [${to.join(', ')}]`);
  const src = strides(padded).map((s, i) => (padded[i] === 1 ? 0 : s));
  const out = new Float64Array(sizeOf(to));
  const index = new Array<number>(to.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let s = 0;
    for (let i = 0; i < to.length; i++) s += index[i]! * src[i]!;
    out[o] = data[s]!;
    for (let i = to.length - 1; i >= 0; i--) {
      if (++index[i]! < to[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}

/** Mean over `axes` (kept as size 1). */
export function meanOver(data: ArrayLike<number>, shape: readonly number[], axes: ReadonlySet<number>): { data: Float64Array; shape: number[] } {
  const outShape = shape.map((d, i) => (axes.has(i) ? 1 : d));
  const outStrides = strides(outShape).map((s, i) => (axes.has(i) ? 0 : s));
  const out = new Float64Array(sizeOf(outShape));
  const index = new Array<number>(shape.length).fill(0);
  for (let e = 0; e < data.length; e++) {
    let o = 0;
    for (let i = 0; i < shape.length; i++) o += index[i]! * outStrides[i]!;
    out[o]! += data[e]!;
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++index[i]! < shape[i]!) break;
      index[i] = 0;
    }
  }
  const count = data.length / out.length;
  for (let o = 0; o < out.length; o++) out[o]! /= count;
  return { data: out, shape: outShape };
}
