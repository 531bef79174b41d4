import { GlassboxError } from '../util/errors.js';
import { isDType, isFloat, type DType } from './dtype.js';
import { formatShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * The tensor file format used by files and the CLI:
 *   {"shape": [2, 3], "dtype": "float32", "data": [1, 2, 3, 4, 5, 6]}   (flat, row-major)
 * or a bare nested array such as [[1, 2, 3], [4, 5, 6]].
 * JSON has no NaN or infinities, so those are written as the strings "NaN", "Infinity",
 * "-Infinity"; int64 values beyond 2^53 are written as decimal strings.
 */
export interface TensorJson {
  shape: number[];
  dtype: DType;
  data: (number | string | boolean)[];
}

export interface ParsedTensor {
  tensor: Tensor;
  /** False for a bare nested array: its element type is a guess the caller may override. */
  dtypeGiven: boolean;
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, inf: Infinity, '-inf': -Infinity, nan: NaN };

export function parseTensorText(text: string, source: string): ParsedTensor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GlassboxError('bad-tensor', `${source}: not valid JSON (${(error as Error).message})`);
  }
  return parseTensorValue(value, source);
}

export function parseTensorValue(value: unknown, source: string): ParsedTensor {
  if (Array.isArray(value) || typeof value === 'number' || typeof value === 'boolean') return parseNested(value, source);
  if (value === null || typeof value !== 'object') {
    throw new GlassboxError('bad-tensor', `${source}: expected {"shape", "dtype", "data"} or a nested array, got ${value === null ? 'null' : typeof value}`);
  }
  const obj = value as Record<string, unknown>;
  const { shape, dtype, data } = obj;
  if (!Array.isArray(data)) throw new GlassboxError('bad-tensor', `${source}: "data" must be a flat array`);
  if (dtype !== undefined && (typeof dtype !== 'string' || !isDType(dtype))) {
    throw new GlassboxError('bad-tensor', `${source}: unknown dtype ${JSON.stringify(dtype)} (use float32, float64, int64, int32, uint8, bool, ...)`);
  }
  const dims = shape === undefined ? [data.length] : shape;
  if (!Array.isArray(dims) || dims.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    throw new GlassboxError('bad-tensor', `${source}: "shape" must be an array of non-negative integers`);
  }
  if (sizeOf(dims as number[]) !== data.length) {
    throw new GlassboxError('bad-tensor', `${source}: shape ${formatShape(dims as number[])} needs ${sizeOf(dims as number[])} values but "data" has ${data.length}`);
  }
  const type: DType = (dtype as DType | undefined) ?? 'float32';
  return { tensor: fromValues(type, dims as number[], data, source), dtypeGiven: dtype !== undefined };
}

function parseNested(value: unknown, source: string): ParsedTensor {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: unknown[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new GlassboxError('bad-tensor', `${source}: ragged nested array at ${path} (expected a number)`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new GlassboxError('bad-tensor', `${source}: ragged nested array at ${path || 'top level'} (expected ${shape[depth]} elements)`);
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  const type: DType = flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? 'bool' : 'float32';
  return { tensor: fromValues(type, shape, flat, source), dtypeGiven: false };
}

function fromValues(dtype: DType, shape: number[], values: unknown[], source: string): Tensor {
  const bad = (i: number): never => {
    throw new GlassboxError('bad-tensor', `${source}: element ${i} (${JSON.stringify(values[i])}) is not a valid ${dtype} value`);
  };
  if (dtype === 'string') {
    return new Tensor('string', shape, values.map((v, i) => (typeof v === 'string' ? v : bad(i))));
  }
  if (dtype === 'int64' || dtype === 'uint64') {
    const out = dtype === 'int64' ? new BigInt64Array(values.length) : new BigUint64Array(values.length);
    values.forEach((v, i) => {
      if (typeof v === 'number' && Number.isInteger(v)) out[i] = BigInt(v);
      else if (typeof v === 'string' && /^-?\d+$/.test(v)) out[i] = BigInt(v);
      else bad(i);
    });
    return new Tensor(dtype, shape, out);
  }
  const numbers = new Float64Array(values.length);
  values.forEach((v, i) => {
    if (typeof v === 'number') numbers[i] = v;
    else if (typeof v === 'boolean') numbers[i] = v ? 1 : 0;
    else if (typeof v === 'string' && v in SPECIAL && isFloat(dtype)) numbers[i] = SPECIAL[v]!;
    else bad(i);
    if (!isFloat(dtype) && !Number.isInteger(numbers[i])) bad(i);
  });
  if (dtype === 'float16' || dtype === 'bfloat16') {
    throw new GlassboxError('bad-tensor', `${source}: ${dtype} tensor files are not supported; write float32`);
  }
  const tensor = Tensor.zeros(dtype, shape);
  (tensor.data as Float64Array).set(numbers);
  return tensor;
}

/** The JSON form of a tensor (see the format above). */
export function tensorToJson(tensor: Tensor): TensorJson {
  const data: (number | string | boolean)[] = new Array(tensor.size);
  const src = tensor.data as ArrayLike<number | bigint | string>;
  for (let i = 0; i < data.length; i++) {
    const v = src[i]!;
    if (typeof v === 'bigint') data[i] = v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
    else if (typeof v === 'number' && !Number.isFinite(v)) data[i] = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    else if (tensor.dtype === 'bool') data[i] = v !== 0;
    else data[i] = v;
  }
  return { shape: [...tensor.shape], dtype: tensor.dtype, data };
}
