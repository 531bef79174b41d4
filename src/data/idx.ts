import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { GlassboxError } from '../util/errors.js';

/** An IDX file's contents (the format of MNIST and Fashion-MNIST): dims and unsigned bytes. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

/**
 * Reads an IDX file of unsigned bytes (type code 0x08), plain or gzipped. Other element types
 * are refused: no dataset glassbox ships uses them.
 */
export function readIdx(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new GlassboxError('not-found', `${path}: cannot read the dataset file`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0 || bytes[2] !== 0x08) {
    throw new GlassboxError('bad-data', `${path}: not an IDX file of unsigned bytes`);
  }
  const rank = bytes[3]!;
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length < offset + size) throw new GlassboxError('bad-data', `${path}: truncated (${bytes.length - offset} of ${size} bytes)`);
  return { shape, data: bytes.subarray(offset, offset + size) };
}
