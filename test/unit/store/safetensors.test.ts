import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, readSafetensorsHeader, saveSafetensors } from '../../../src/store/safetensors.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { tempDir } from './helpers.js';

/** A file laid out by hand from the spec: u64 LE header length, JSON header, raw LE bytes. */
function handMade(header: string, data: number[], options: { pad?: boolean; length?: number } = {}): Uint8Array {
  let text = header;
  if (options.pad !== false) while ((Buffer.byteLength(text) % 8) !== 0) text += ' ';
  const json = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(options.length ?? json.length), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + json.length);
  return new Uint8Array(out);
}

const f32 = (...values: number[]): number[] => [...Buffer.from(new Float32Array(values).buffer)];
const i64 = (...values: bigint[]): number[] => [...Buffer.from(new BigInt64Array(values).buffer)];

describe('safetensors', () => {
  it('reads a file laid out by hand from the spec', () => {
    const header = '{"__metadata__":{"format":"pt"},"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"ids":{"dtype":"I64","shape":[1],"data_offsets":[16,24]},"flag":{"dtype":"BOOL","shape":[],"data_offsets":[24,25]}}';
    const bytes = handMade(header, [...f32(1, -2, 0.5, 3.25), ...i64(-7n), 1]);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('weight')!.dtype).toBe('float32');
    expect(tensors.get('weight')!.shape).toEqual([2, 2]);
    expect([...(tensors.get('weight')!.data as Float32Array)]).toEqual([1, -2, 0.5, 3.25]);
    expect(tensors.get('ids')!.data).toEqual(new BigInt64Array([-7n]));
    expect(tensors.get('flag')!.dtype).toBe('bool');
    expect(tensors.get('flag')!.shape).toEqual([]);
    expect([...(tensors.get('flag')!.data as Uint8Array)]).toEqual([1]);
  });

  it('writes exactly the layout of the spec: sorted by element size then name, header padded with spaces', () => {
    const tensors = new Map<string, Tensor>([
      ['b', Tensor.float32([2], [1.5, -2])],
      ['c', new Tensor('uint8', [3], new Uint8Array([1, 2, 3]))],
      ['a', Tensor.int64([1], [7])],
    ]);
    const header = '{"__metadata__":{"k":"v"},"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"c":{"dtype":"U8","shape":[3],"data_offsets":[16,19]}}';
    const expected = handMade(header, [...i64(7n), ...f32(1.5, -2), 1, 2, 3]);
    const bytes = encodeSafetensors(tensors, { k: 'v' });
    expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    expect(Buffer.from(bytes.subarray(8, 8 + n)).toString().endsWith(' ')).toBe(header.length % 8 !== 0);
  });

  it('omits __metadata__ when there is none', () => {
    const bytes = encodeSafetensors(new Map([['x', Tensor.float32([1], [1])]]));
    expect(Buffer.from(bytes.subarray(8)).toString()).toMatch(/^\{"x":\{"dtype":"F32","shape":\[1\],"data_offsets":\[0,4\]\}\} *\u0000/);
  });

  it('round-trips every element type, scalars, empty tensors and views into larger buffers', () => {
    const big = new Float32Array([9, 9, 1, 2, 3, 9]);
    const tensors = new Map<string, Tensor>([
      ['f32', Tensor.float32([2, 3], [1, 2, 3, 4, 5, 6])],
      ['f64', Tensor.float64([2], [Math.PI, -1e300])],
      ['f16', new Tensor('float16', [2], new Uint16Array([0x3c00, 0xc000]))],
      ['bf16', new Tensor('bfloat16', [1], new Uint16Array([0x3f80]))],
      ['i8', new Tensor('int8', [2], new Int8Array([-128, 127]))],
      ['u8', new Tensor('uint8', [1], new Uint8Array([255]))],
      ['i16', new Tensor('int16', [1], new Int16Array([-300]))],
      ['u16', new Tensor('uint16', [1], new Uint16Array([65535]))],
      ['i32', new Tensor('int32', [2], new Int32Array([-1, 2 ** 31 - 1]))],
      ['u32', new Tensor('uint32', [1], new Uint32Array([2 ** 32 - 1]))],
      ['i64', Tensor.int64([2], [-(2n ** 63n), 2n ** 63n - 1n])],
      ['u64', new Tensor('uint64', [1], new BigUint64Array([2n ** 64n - 1n]))],
      ['bool', new Tensor('bool', [3], new Uint8Array([1, 0, 1]))],
      ['scalar', Tensor.float32([], [42])],
      ['empty', Tensor.float32([0, 4])],
      ['view', new Tensor('float32', [3], big.subarray(2, 5))],
      ['weird name/with.dots:and ünïcode', Tensor.float32([1], [1])],
    ]);
    const metadata = { resume: JSON.stringify({ step: 3, nested: { a: [1, 2] } }), note: 'ünïcode ✓' };
    const back = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect(back.metadata).toEqual(metadata);
    expect([...back.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) {
      const u = back.tensors.get(name)!;
      expect(u.dtype, name).toBe(t.dtype);
      expect(u.shape, name).toEqual(t.shape);
      expect(Array.from(u.data as ArrayLike<unknown>), name).toEqual(Array.from(t.data as ArrayLike<unknown>));
    }
  });

  it('saves atomically, leaves no temporary file, and reads headers alone', () => {
    const dir = tempDir();
    const path = join(dir, 'w.safetensors');
    const written = saveSafetensors(path, new Map([['x', Tensor.float32([2], [1, 2])]]), { a: 'b' });
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
    expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loadSafetensors(path).metadata).toEqual({ a: 'b' });
    const header = readSafetensorsHeader(path);
    expect(header.entries).toEqual([{ name: 'x', dtype: 'float32', shape: [2], begin: 0, end: 8 }]);
    saveSafetensors(path, new Map([['y', Tensor.float32([1], [3])]]));
    expect([...loadSafetensors(path).tensors.keys()]).toEqual(['y']);
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
  });

  it('refuses strings and the reserved name', () => {
    expect(() => encodeSafetensors(new Map([['s', new Tensor('string', [1], ['a'])]]))).toThrow(/holds strings/);
    expect(() => encodeSafetensors(new Map([['__metadata__', Tensor.float32([1], [1])]]))).toThrow(/cannot be named "__metadata__"/);
  });

  const good = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
  const goodData = f32(1, 2, 3);
  it.each([
    ['an empty file', new Uint8Array(0), /truncated \(0 bytes; the header length alone takes 8\)/],
    ['a file shorter than its header', handMade(good, goodData).subarray(0, 40), /truncated \(the header needs \d+ bytes, the file has 40\)/],
    ['a file cut inside the data', handMade(good, goodData).subarray(0, handMade(good, goodData).length - 2), /tensor "b" has data_offsets \[8, 12\] beyond the data section \(10 bytes\): truncated file/],
    ['an absurd header length', handMade(good, goodData, { length: 2 ** 40 }), /header length 1099511627776 is implausible/],
    ['bad JSON', handMade('{"a": [1, 2', []), /bad header JSON/],
    ['a header that is not an object', handMade('[1, 2, 3]', []), /the header is not a JSON object/],
    ['an unknown dtype', handMade('{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}', [0]), /tensor "a" has unknown dtype "Q4"/],
    ['a dtype glassbox cannot compute with', handMade('{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', [0]), /tensor "a" has dtype F8_E4M3, which glassbox does not support/],
    ['offsets out of range', handMade('{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', f32(1, 2)), /a gap of 4 bytes before tensor "a"/],
    ['overlapping tensors', handMade('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)), /tensors "a" and "b" overlap/],
    ['offsets that disagree with the shape', handMade('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32(1, 2)), /tensor "a" is F32\[3\], which needs 12 bytes, but its data_offsets span 8/],
    ['reversed offsets', handMade('{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', f32(1, 2)), /end before they begin/],
    ['stray bytes after the data', handMade(good, [...goodData, 0, 0]), /2 stray bytes after the last tensor/],
    ['a negative dim', handMade('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}', []), /invalid shape \[-1\]/],
    ['non-string metadata', handMade('{"__metadata__":{"a":1}}', []), /metadata "a" is not a string/],
    ['a header that is not UTF-8', handMade('{"a\u0000":1}', []).map((b, i) => (i === 11 ? 0xff : b)), /not valid UTF-8/],
  ])('refuses %s with a one-line error', (_label, bytes, message) => {
    let error: Error | undefined;
    try {
      decodeSafetensors(bytes as Uint8Array, 'x.safetensors');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('GlassboxError');
    expect(error!.message).toMatch(message);
    expect(error!.message).not.toContain('\n');
    if (!/glassbox does not support/.test(error!.message)) expect(error!.message).toMatch(/^x\.safetensors: corrupt safetensors file: /);
  });

  it('names missing files', () => {
    expect(() => loadSafetensors(join(tempDir(), 'nope.safetensors'))).toThrow(/nope\.safetensors: no such file/);
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.safetensors'), 'hello');
    expect(() => loadSafetensors(join(dir, 'bad.safetensors'))).toThrow(/bad\.safetensors: corrupt safetensors file: truncated/);
    expect(existsSync(join(dir, 'bad.safetensors'))).toBe(true);
  });
});
