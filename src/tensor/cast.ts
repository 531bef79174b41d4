import { GlassboxError } from '../util/errors.js';
import { allocate, isInteger, type DType } from './dtype.js';
import { Tensor } from './tensor.js';

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
  int32: [-2147483648, 2147483647], uint32: [0, 4294967295],
};

/**
 * Converts a numeric tensor to another element type, refusing lossy conversions into integer
 * types (a token id of 3.5 is a mistake, not something to round silently).
 */
export function castTensor(tensor: Tensor, to: DType, what = 'tensor'): Tensor {
  if (tensor.dtype === to) return tensor;
  if (to === 'string' || tensor.dtype === 'string') {
    throw new GlassboxError('bad-dtype', `${what}: cannot convert ${tensor.dtype} to ${to}`);
  }
  if (to === 'float16' || to === 'bfloat16' || tensor.dtype === 'float16' || tensor.dtype === 'bfloat16') {
    throw new GlassboxError('bad-dtype', `${what}: conversion between ${tensor.dtype} and ${to} is not supported; give the data as ${to}`);
  }
  const src = tensor.data as ArrayLike<number | bigint>;
  const out = allocate(to, src.length) as unknown as { [i: number]: number | bigint; length: number };
  const range = INT_RANGE[to];
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (to === 'int64' || to === 'uint64') {
      if (typeof v === 'number' && !Number.isInteger(v)) {
        throw new GlassboxError('bad-dtype', `${what}: value ${v} at index ${i} is not an integer, but ${to} is expected`);
      }
      out[i] = BigInt(v);
    } else if (to === 'bool') {
      out[i] = v ? 1 : 0;
    } else {
      const n = Number(v);
      if (isInteger(to)) {
        if (!Number.isInteger(n)) throw new GlassboxError('bad-dtype', `${what}: value ${n} at index ${i} is not an integer, but ${to} is expected`);
        if (range && (n < range[0] || n > range[1])) throw new GlassboxError('bad-dtype', `${what}: value ${n} at index ${i} does not fit in ${to}`);
      }
      out[i] = n;
    }
  }
  return new Tensor(to, tensor.shape, out as never);
}
