import protobuf from 'protobufjs';
import { GlassboxError } from '../../util/errors.js';
import { ONNX_PROTO } from './schema.js';
import type { Int64, LongLike, ModelProto, TensorProto } from './types.js';

const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
const ModelType = root.lookupType('onnx.ModelProto');
const TensorType = root.lookupType('onnx.TensorProto');

/** Highest ONNX IR version this schema describes; newer files may carry fields we would drop. */
export const MAX_IR_VERSION = 11;

/**
 * Decodes ONNX model bytes. Throws a one-line GlassboxError for anything that is not a
 * well-formed ModelProto (wrong file type, truncation, corrupt bytes).
 */
export function decodeModelProto(bytes: Uint8Array, source = 'model'): ModelProto {
  if (bytes.length === 0) throw new GlassboxError('bad-model', `${source}: the file is empty`);
  const looksLike = sniffFormat(bytes);
  if (looksLike) throw new GlassboxError('bad-model', `${source}: not an ONNX model (this looks like ${looksLike})`);
  let model: ModelProto;
  try {
    model = ModelType.decode(bytes) as unknown as ModelProto;
  } catch (error) {
    const detail = error instanceof RangeError && /call stack/i.test(error.message)
      ? 'graph nesting is too deep'
      : (error as Error).message.replace(/index out of range: .*/, 'data ends early');
    throw new GlassboxError('bad-model', `${source}: not a valid ONNX model; the protobuf is truncated or corrupt (${detail})`);
  }
  const ir = int64ToNumber(model.ir_version);
  if (!model.graph) throw new GlassboxError('bad-model', `${source}: not a valid ONNX model (no graph found in the protobuf)`);
  if (!Number.isInteger(ir) || ir < 3) {
    throw new GlassboxError('bad-model', `${source}: not a valid ONNX model (missing or invalid IR version ${String(model.ir_version ?? 'none')})`);
  }
  return model;
}

/** Encodes a ModelProto. Fields are written in field-number order, as ONNX's own writer does. */
export function encodeModelProto(model: ModelProto): Uint8Array {
  return ModelType.encode(model as unknown as protobuf.Message).finish();
}

export function decodeTensorProto(bytes: Uint8Array): TensorProto {
  return TensorType.decode(bytes) as unknown as TensorProto;
}

export function encodeTensorProto(tensor: TensorProto): Uint8Array {
  return TensorType.encode(tensor as unknown as protobuf.Message).finish();
}

/** A fresh message with the schema's defaults, so encoding writes only what is set. */
export function newModelProto(fields: Partial<ModelProto>): ModelProto {
  return ModelType.fromObject(fields) as unknown as ModelProto;
}

/** int64 field → number. ±2^63 stay representable as ±9223372036854775808 (see numberToInt64). */
export function int64ToNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return NaN;
  return typeof value === 'number' ? value : value.toNumber();
}

interface LongStatics { MAX_VALUE: LongLike; MIN_VALUE: LongLike; fromNumber(value: number): LongLike }
const Long = protobuf.util.Long as unknown as LongStatics;
const INT64_MAX = Long.MAX_VALUE;
const INT64_MIN = Long.MIN_VALUE;

/**
 * number → int64 field. Numbers at or beyond ±2^63 (what INT64_MAX becomes as a double) are
 * clamped, so the INT64_MAX/INT64_MIN sentinels exporters use for "to the end" survive a round trip.
 */
export function numberToInt64(value: number): Int64 {
  if (Number.isSafeInteger(value)) return value;
  if (value >= 9223372036854775807) return INT64_MAX;
  if (value <= -9223372036854775808) return INT64_MIN;
  return Long.fromNumber(Math.trunc(value));
}

const MAGIC: [string, number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a ZIP archive (a PyTorch .pt file or similar?)', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip file', [0x1f, 0x8b]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a Python pickle', [0x80, 0x02]],
  ['a safetensors/JSON header', [0x7b, 0x22]],
];

/** Names a common non-ONNX format from its first bytes, or returns undefined. */
function sniffFormat(bytes: Uint8Array): string | undefined {
  for (const [name, magic] of MAGIC) {
    if (bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)) return name;
  }
  const head = bytes.subarray(0, Math.min(bytes.length, 512));
  const text = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  if (text && head.length >= 2) {
    const first = String.fromCharCode(...head.subarray(0, 64)).trimStart();
    if (first.startsWith('{') || first.startsWith('[')) return 'a JSON file';
    if (first.startsWith('ir_version')) return 'an ONNX model in text format; save it as binary protobuf';
    return 'a text file';
  }
  return undefined;
}
