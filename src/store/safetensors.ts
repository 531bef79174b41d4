/**
 * The safetensors format (https://github.com/huggingface/safetensors), read and written by hand:
 *
 *   8 bytes    N, the header length, unsigned little-endian
 *   N bytes    a JSON object, UTF-8, padded with spaces so that N is a multiple of 8:
 *              {"__metadata__": {string: string},        (optional)
 *               "<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 *   the rest   the tensors' raw little-endian bytes; offsets are relative to the end of the
 *              header, and the tensors tile the data section exactly (no gaps, no overlap).
 *
 * Reading validates all of that and reports the first problem on one line. Writing lays the
 * tensors out by element size (largest first), then by name, as the reference writer does,
 * so every tensor's data is aligned to its element size.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { GlassboxError } from '../util/errors.js';
import { allocate, bytesPerElement, type DataFor, type DType } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileDurable, type WrittenFile } from './files.js';

/** safetensors dtype names and the glassbox element types they map to. */
const FROM_SAFETENSORS: Record<string, DType> = {
  BOOL: 'bool', U8: 'uint8', I8: 'int8', I16: 'int16', U16: 'uint16', F16: 'float16', BF16: 'bfloat16',
  I32: 'int32', U32: 'uint32', F32: 'float32', F64: 'float64', I64: 'int64', U64: 'uint64',
};
const TO_SAFETENSORS = Object.fromEntries(Object.entries(FROM_SAFETENSORS).map(([k, v]) => [v, k])) as Record<Exclude<DType, 'string'>, string>;
/** Defined by the format, but with no glassbox element type. */
const UNSUPPORTED = new Set(['F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64']);

/** The reference implementation refuses headers above 100 MB. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface Safetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

export interface SafetensorsEntry {
  name: string;
  dtype: DType;
  shape: number[];
  /** Offsets into the data section (after the header). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
  /** Where the data section starts in the file (8 + N). */
  dataStart: number;
}

function fail(source: string, detail: string): never {
  throw new GlassboxError('bad-safetensors', `${source}: corrupt safetensors file: ${detail}`);
}

function checkHost(): void {
  if (endianness() !== 'LE') throw new GlassboxError('unsupported', 'safetensors files are little-endian; this machine is big-endian');
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The header bytes (length prefix included) and the data chunks, in file order. */
function layout(tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string>): Uint8Array[] {
  checkHost();
  const items = [...tensors].map(([name, tensor]) => {
    if (name === '__metadata__') throw new GlassboxError('bad-input', 'a tensor cannot be named "__metadata__" in a safetensors file');
    if (tensor.dtype === 'string') throw new GlassboxError('unsupported-dtype', `tensor "${name}" holds strings, which safetensors cannot store`);
    return { name, tensor };
  });
  items.sort((a, b) => bytesPerElement(b.tensor.dtype) - bytesPerElement(a.tensor.dtype) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  const meta = Object.entries(metadata);
  for (const [key, value] of meta) {
    if (typeof value !== 'string') throw new GlassboxError('bad-input', `safetensors metadata "${key}" must be a string`);
  }
  if (meta.length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor } of items) {
    const data = tensor.data as Exclude<DataFor[DType], string[]>;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: TO_SAFETENSORS[tensor.dtype as Exclude<DType, 'string'>], shape: [...tensor.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    chunks.push(bytes);
  }
  let json = JSON.stringify(header);
  let text = new TextEncoder().encode(json);
  const pad = (8 - (text.length % 8)) % 8;
  if (pad) {
    json += ' '.repeat(pad);
    text = new TextEncoder().encode(json);
  }
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(text.length), true);
  return [prefix, text, ...chunks];
}

/** The file's bytes for these tensors and metadata. */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const chunks = layout(tensors, metadata);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Writes a safetensors file atomically and durably (temporary file, fsync, rename). */
export function saveSafetensors(path: string, tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): WrittenFile {
  return writeFileDurable(path, layout(tensors, metadata));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Parses and validates the header of a safetensors file of `fileSize` bytes. */
export function parseSafetensorsHeader(head: Uint8Array, fileSize: number, source = 'safetensors'): SafetensorsHeader {
  if (fileSize < 8 || head.length < 8) fail(source, `truncated (${fileSize} bytes; the header length alone takes 8)`);
  const length = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) fail(source, `header length ${length} is implausible (the limit is ${MAX_HEADER_BYTES} bytes)`);
  const n = Number(length);
  if (n < 2) fail(source, `header length ${n} is too short for a JSON object`);
  if (8 + n > fileSize) fail(source, `truncated (the header needs ${8 + n} bytes, the file has ${fileSize})`);
  if (head.length < 8 + n) fail(source, 'truncated header');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(8, 8 + n));
  } catch {
    fail(source, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(source, 'the header is not a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(source, `bad header JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail(source, 'the header is not a JSON object');
  const dataSize = fileSize - 8 - n;
  const metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(source, '"__metadata__" must be an object of strings');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(source, `metadata "${k}" is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    entries.push(parseEntry(name, value, source));
  }
  // The tensors must tile the data section: sorted by offset, each begins where the last ended.
  const ordered = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: SafetensorsEntry | undefined;
  for (const e of ordered) {
    if (e.begin < at) fail(source, `tensors "${previous!.name}" and "${e.name}" overlap (bytes ${e.begin}..${at} of the data)`);
    if (e.begin > at) fail(source, `a gap of ${e.begin - at} bytes before tensor "${e.name}" (data_offsets must be contiguous)`);
    if (e.end > dataSize) {
      fail(source, `tensor "${e.name}" has data_offsets [${e.begin}, ${e.end}] beyond the data section (${dataSize} bytes): truncated file or offsets out of range`);
    }
    at = e.end;
    previous = e;
  }
  if (at < dataSize) fail(source, `${dataSize - at} stray bytes after the last tensor`);
  return { entries, metadata, dataStart: 8 + n };
}

function parseEntry(name: string, value: unknown, source: string): SafetensorsEntry {
  const label = `tensor "${name}"`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(source, `${label}: expected {dtype, shape, data_offsets}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') fail(source, `${label} has no dtype`);
  const mapped = FROM_SAFETENSORS[dtype];
  if (!mapped) {
    if (UNSUPPORTED.has(dtype)) throw new GlassboxError('unsupported-dtype', `${source}: ${label} has dtype ${dtype}, which glassbox does not support`);
    fail(source, `${label} has unknown dtype "${dtype}"`);
  }
  const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex)) fail(source, `${label} has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) fail(source, `${label} has invalid data_offsets ${JSON.stringify(offsets)}`);
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(source, `${label} has data_offsets [${begin}, ${end}] that end before they begin`);
  const need = sizeOf(shape) * bytesPerElement(mapped);
  if (end - begin !== need) fail(source, `${label} is ${dtype}${formatShape(shape)}, which needs ${need} bytes, but its data_offsets span ${end - begin}`);
  return { name, dtype: mapped, shape: [...shape] as number[], begin, end };
}

/** Decodes a whole safetensors file held in memory. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): Safetensors {
  checkHost();
  const header = parseSafetensorsHeader(bytes, bytes.length, source);
  const tensors = new Map<string, Tensor>();
  for (const e of header.entries) {
    const data = allocate(e.dtype, sizeOf(e.shape)) as Exclude<DataFor[DType], string[]>;
    // Copy into an aligned buffer of its own: the file's offsets need not be aligned.
    new Uint8Array(data.buffer).set(bytes.subarray(header.dataStart + e.begin, header.dataStart + e.end));
    tensors.set(e.name, new Tensor(e.dtype, e.shape, data as DataFor[DType]));
  }
  return { tensors, metadata: header.metadata };
}

/** Reads a safetensors file (one-line errors for a missing, unreadable or corrupt file). */
export function loadSafetensors(path: string): Safetensors {
  return decodeSafetensors(readFile(path), path);
}

/** Reads only the header of a safetensors file: names, types, shapes and metadata. */
export function readSafetensorsHeader(path: string): SafetensorsHeader {
  const size = fileSize(path);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const prefix = new Uint8Array(8);
    const got = readSync(fd, prefix, 0, 8, 0);
    const n = got === 8 ? new DataView(prefix.buffer).getBigUint64(0, true) : 0n;
    const want = n <= BigInt(MAX_HEADER_BYTES) && 8 + Number(n) <= size ? 8 + Number(n) : got;
    const head = new Uint8Array(want);
    readSync(fd, head, 0, want, 0);
    return parseSafetensorsHeader(head, size, path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fileSize(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new GlassboxError('not-found', `${path}: no such file`);
  }
  if (!stat.isFile()) throw new GlassboxError('bad-input', `${path}: not a regular file`);
  return stat.size;
}

function readFile(path: string): Uint8Array {
  fileSize(path);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new GlassboxError('not-found', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
