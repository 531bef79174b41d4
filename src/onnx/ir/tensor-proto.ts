import { GlassboxError } from '../../util/errors.js';
import { allocate, bytesPerElement, dtypeFromOnnx, dtypeToOnnx, onnxDTypeName, type DataFor, type DType } from '../../tensor/dtype.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { int64ToNumber } from '../proto/codec.js';
import type { Int64, TensorProto } from '../proto/types.js';

/** Dimensions of a TensorProto as numbers. */
export function protoDims(proto: TensorProto): number[] {
  return proto.dims.map((d) => int64ToNumber(d));
}

export function protoDType(proto: TensorProto): DType {
  const dtype = dtypeFromOnnx(proto.data_type ?? 0);
  if (!dtype) throw new GlassboxError('unsupported-dtype', `tensor "${proto.name ?? ''}" has element type ${onnxDTypeName(proto.data_type ?? 0)}, which glassbox does not support`);
  return dtype;
}

export function isExternal(proto: TensorProto): boolean {
  return proto.data_location === 1;
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/**
 * The values of a TensorProto. External tensors must have been resolved first (their bytes
 * moved into raw_data by resolveExternalData); this is checked, never guessed.
 */
export function tensorFromProto(proto: TensorProto): Tensor {
  const dtype = protoDType(proto);
  const dims = protoDims(proto);
  const label = `tensor "${proto.name ?? ''}"`;
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new GlassboxError('bad-model', `${label} has invalid dims ${formatShape(dims)}`);
  const size = sizeOf(dims);
  if (isExternal(proto) && !proto.raw_data) throw new GlassboxError('bad-model', `${label} keeps its data in an external file that was not loaded`);
  if (dtype === 'string') {
    if (proto.string_data.length !== size) throw sizeError(label, dims, proto.string_data.length, 'strings');
    return new Tensor('string', dims, proto.string_data.map((b) => textDecoder.decode(b)));
  }
  const raw = proto.raw_data;
  if (raw && raw.length > 0) {
    const want = size * bytesPerElement(dtype);
    if (raw.length !== want) throw new GlassboxError('bad-model', `${label} of type ${dtype} and shape ${formatShape(dims)} needs ${want} bytes of data, found ${raw.length}`);
    const out = allocate(dtype, size);
    // Copy into an aligned buffer: raw_data is a view into the file at an arbitrary offset.
    new Uint8Array((out as Exclude<DataFor[DType], string[]>).buffer).set(raw);
    return new Tensor(dtype, dims, out);
  }
  const field = typedField(dtype, proto);
  if (field.values.length !== size) throw sizeError(label, dims, field.values.length, field.name);
  const out = allocate(dtype, size) as unknown as { [i: number]: number | bigint };
  const values = field.values;
  for (let i = 0; i < size; i++) {
    const v = values[i]!;
    out[i] = dtype === 'int64' || dtype === 'uint64' ? BigInt(typeof v === 'number' ? v : v.toString()) : int64ToNumber(v);
  }
  return new Tensor(dtype, dims, out as never);
}

function typedField(dtype: DType, proto: TensorProto): { name: string; values: readonly Int64[] } {
  switch (dtype) {
    case 'float32': return { name: 'float_data', values: proto.float_data };
    case 'float64': return { name: 'double_data', values: proto.double_data };
    case 'int64': return { name: 'int64_data', values: proto.int64_data };
    case 'uint32': case 'uint64': return { name: 'uint64_data', values: proto.uint64_data };
    default: return { name: 'int32_data', values: proto.int32_data }; // int8/16/32, uint8/16, bool, float16 bits
  }
}

function sizeError(label: string, dims: number[], got: number, field: string): GlassboxError {
  return new GlassboxError('bad-model', `${label} of shape ${formatShape(dims)} needs ${sizeOf(dims)} values, its ${field} has ${got}`);
}

/** A TensorProto holding `tensor` (raw_data, little-endian; strings in string_data). */
export function tensorToProto(name: string, tensor: Tensor): TensorProto {
  const proto: TensorProto = {
    dims: [...tensor.shape], data_type: dtypeToOnnx(tensor.dtype), name,
    float_data: [], int32_data: [], string_data: [], int64_data: [], external_data: [], double_data: [], uint64_data: [], metadata_props: [],
  };
  if (tensor.dtype === 'string') {
    proto.string_data = (tensor.data as string[]).map((s) => textEncoder.encode(s));
  } else {
    const data = tensor.data as Exclude<DataFor[DType], string[]>;
    proto.raw_data = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  }
  return proto;
}

/** Number of elements of a TensorProto, from its dims. */
export function protoSize(proto: TensorProto): number {
  return sizeOf(protoDims(proto));
}
