import { GlassboxError } from '../util/errors.js';
import { allocate, type DataFor, type DType } from './dtype.js';
import { formatShape, sizeOf, type Shape } from './shape.js';

/**
 * A dense row-major tensor: an element type, a shape and a flat typed array. This is the value
 * that crosses every boundary of glassbox (runtime feeds and fetches, tensor files, the CLI).
 * int64 data lives in a BigInt64Array because that is what onnxruntime-node exchanges.
 */
export class Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: Shape;
  readonly data: DataFor[D];

  constructor(dtype: D, shape: Shape, data: DataFor[D]) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new GlassboxError('bad-shape', `invalid tensor shape ${formatShape(shape)}`);
    }
    if (data.length !== sizeOf(shape)) {
      throw new GlassboxError('bad-shape', `tensor of shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${data.length}`);
    }
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  static zeros<D extends DType>(dtype: D, shape: Shape): Tensor<D> {
    return new Tensor(dtype, shape, allocate(dtype, sizeOf(shape)));
  }

  static float32(shape: Shape, values?: ArrayLike<number>): Tensor<'float32'> {
    return new Tensor('float32', shape, values ? Float32Array.from(values) : new Float32Array(sizeOf(shape)));
  }

  static float64(shape: Shape, values?: ArrayLike<number>): Tensor<'float64'> {
    return new Tensor('float64', shape, values ? Float64Array.from(values) : new Float64Array(sizeOf(shape)));
  }

  static int64(shape: Shape, values: ArrayLike<number | bigint>): Tensor<'int64'> {
    const data = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
    return new Tensor('int64', shape, data);
  }

  /** Same data, new shape (no copy). */
  reshape(shape: Shape): Tensor<D> {
    return new Tensor(this.dtype, shape, this.data);
  }

  /** Elements as JavaScript numbers (int64 converted; strings rejected). */
  toNumbers(): number[] {
    const out = new Array<number>(this.size);
    const data = this.data as ArrayLike<number | bigint | string>;
    for (let i = 0; i < out.length; i++) {
      const v = data[i]!;
      if (typeof v === 'string') throw new GlassboxError('bad-dtype', 'a string tensor has no numeric values');
      out[i] = Number(v);
    }
    return out;
  }

  /** Rows [start, end) along axis 0, as a view when the storage allows it. */
  sliceBatch(start: number, end: number): Tensor<D> {
    const row = this.shape.length === 0 ? 1 : sizeOf(this.shape.slice(1));
    const data = this.data as DataFor[DType];
    const part = (Array.isArray(data) ? data.slice(start * row, end * row) : data.subarray(start * row, end * row)) as DataFor[D];
    return new Tensor(this.dtype, [end - start, ...this.shape.slice(1)], part);
  }

  toString(): string {
    return `Tensor<${this.dtype}>${formatShape(this.shape)}`;
  }
}

/** Concatenates tensors along axis 0 (all other dims must agree). */
export function concatBatch<D extends DType>(parts: readonly Tensor<D>[]): Tensor<D> {
  if (parts.length === 0) throw new GlassboxError('bad-shape', 'nothing to concatenate');
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const tail = first.shape.slice(1);
  let rows = 0;
  for (const p of parts) {
    if (p.dtype !== first.dtype || p.shape.length !== first.shape.length || p.shape.slice(1).some((d, i) => d !== tail[i])) {
      throw new GlassboxError('bad-shape', `cannot concatenate ${first} with ${p}`);
    }
    rows += p.shape[0]!;
  }
  const out = allocate(first.dtype, rows * sizeOf(tail));
  let offset = 0;
  for (const p of parts) {
    if (Array.isArray(out)) (p.data as string[]).forEach((v, i) => { (out as string[])[offset + i] = v; });
    else (out as Exclude<DataFor[DType], string[]>).set(p.data as never, offset);
    offset += p.data.length;
  }
  return new Tensor(first.dtype, [rows, ...tail], out);
}
