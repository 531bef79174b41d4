/**
 * Element types. Names follow onnxruntime's tensor types (float32, int64, ...); the numeric
 * codes are ONNX's TensorProto.DataType values, which is what model files store.
 */

export type DType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'bool' | 'string';

export type NumericDType = Exclude<DType, 'string'>;

/** The JavaScript container for each element type (the one onnxruntime-node expects). */
export interface DataFor {
  float32: Float32Array; float64: Float64Array; float16: Uint16Array; bfloat16: Uint16Array;
  int8: Int8Array; uint8: Uint8Array; int16: Int16Array; uint16: Uint16Array;
  int32: Int32Array; uint32: Uint32Array; int64: BigInt64Array; uint64: BigUint64Array;
  bool: Uint8Array; string: string[];
}
export type TensorData = DataFor[DType];

interface DTypeInfo {
  readonly onnx: number;
  /** Bytes per element; 0 for strings. */
  readonly bytes: number;
  readonly array: ((n: number) => TensorData);
}

const INFO: Record<DType, DTypeInfo> = {
  float32: { onnx: 1, bytes: 4, array: (n) => new Float32Array(n) },
  uint8: { onnx: 2, bytes: 1, array: (n) => new Uint8Array(n) },
  int8: { onnx: 3, bytes: 1, array: (n) => new Int8Array(n) },
  uint16: { onnx: 4, bytes: 2, array: (n) => new Uint16Array(n) },
  int16: { onnx: 5, bytes: 2, array: (n) => new Int16Array(n) },
  int32: { onnx: 6, bytes: 4, array: (n) => new Int32Array(n) },
  int64: { onnx: 7, bytes: 8, array: (n) => new BigInt64Array(n) },
  string: { onnx: 8, bytes: 0, array: (n) => new Array<string>(n).fill('') },
  bool: { onnx: 9, bytes: 1, array: (n) => new Uint8Array(n) },
  float16: { onnx: 10, bytes: 2, array: (n) => new Uint16Array(n) },
  float64: { onnx: 11, bytes: 8, array: (n) => new Float64Array(n) },
  uint32: { onnx: 12, bytes: 4, array: (n) => new Uint32Array(n) },
  uint64: { onnx: 13, bytes: 8, array: (n) => new BigUint64Array(n) },
  bfloat16: { onnx: 16, bytes: 2, array: (n) => new Uint16Array(n) },
};

const BY_ONNX = new Map<number, DType>(Object.entries(INFO).map(([name, info]) => [info.onnx, name as DType]));

/** ONNX names for codes glassbox does not compute with, so errors can name them. */
const OTHER_ONNX_NAMES: Record<number, string> = {
  0: 'undefined', 14: 'complex64', 15: 'complex128', 17: 'float8e4m3fn', 18: 'float8e4m3fnuz',
  19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4', 23: 'float4e2m1',
};

export const DTYPES = Object.keys(INFO) as DType[];

export function isDType(name: string): name is DType {
  return Object.prototype.hasOwnProperty.call(INFO, name);
}

export function dtypeFromOnnx(code: number): DType | undefined {
  return BY_ONNX.get(code);
}

export function onnxDTypeName(code: number): string {
  return BY_ONNX.get(code) ?? OTHER_ONNX_NAMES[code] ?? `unknown type ${code}`;
}

export function dtypeToOnnx(dtype: DType): number {
  return INFO[dtype].onnx;
}

export function bytesPerElement(dtype: DType): number {
  return INFO[dtype].bytes;
}

export function allocate<D extends DType>(dtype: D, size: number): DataFor[D] {
  return INFO[dtype].array(size) as DataFor[D];
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

export function isInteger(dtype: DType): boolean {
  return /^u?int/.test(dtype);
}
