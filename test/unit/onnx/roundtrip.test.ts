import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeModelProto, encodeModelProto } from '../../../src/onnx/proto/codec.js';
import { decodeModel, encodeModel } from '../../../src/onnx/io.js';
import { fixtureNames, fixturePath, paddleModel } from '../../helpers/fixtures.js';

const files = [
  ...fixtureNames().filter((n) => !n.includes('external')).map((n) => [n, fixturePath(n)] as const),
  ...(['det', 'rec', 'cls'] as const).map((w) => [`paddleocr-${w}`, paddleModel(w)] as const),
];

describe('ONNX encode/decode round trip', () => {
  it.each(files)('%s: protobuf level is byte-identical', (_name, path) => {
    const bytes = readFileSync(path);
    const again = encodeModelProto(decodeModelProto(bytes));
    expect(Buffer.compare(Buffer.from(again), bytes)).toBe(0);
  });

  it.each(files)('%s: through the graph IR is byte-identical', (_name, path) => {
    const bytes = readFileSync(path);
    const again = encodeModel(decodeModel(bytes));
    expect(again.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(again), bytes)).toBe(0);
  });
});
