import { Tensor } from '../../tensor/tensor.js';

/** int64 without wrap-around: the ±2^63 sentinels exporters write for "to the end" are clamped. */
export function toInt64(value: number): bigint {
  if (value >= 9223372036854775807) return 9223372036854775807n;
  if (value <= -9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(value));
}

export function int64Tensor(values: readonly number[], shape: readonly number[] = [values.length]): Tensor<'int64'> {
  const data = new BigInt64Array(values.length);
  values.forEach((v, i) => { data[i] = toInt64(v); });
  return new Tensor('int64', shape, data);
}
