import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { encodeModel } from '../../src/onnx/io.js';
import { bin, type CliResult } from '../helpers/cli.js';
import { fixturePath, MODELS } from '../helpers/fixtures.js';

let dir: string;

/** One line on stderr, no stack trace, a non-zero exit. */
function expectCleanFailure(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  expect(result.stderr).toMatch(message);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |Error: /);
}

function modelAtOpset(opset: number): string {
  const b = new GraphBuilder();
  b.output(b.op('Relu', [b.input('x', 'float32', ['batch', 3])]));
  const path = join(dir, `relu_opset${opset}.onnx`);
  writeFileSync(path, encodeModel(b.model({ opset })));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-bad-'));
});

describe('bad models: one-line errors, non-zero exit, no stack trace', () => {
  const cnn = fixturePath('cnn_opset17');

  it('a missing file', () => expectCleanFailure(bin(['inspect', join(dir, 'nope.onnx')]), /nope\.onnx: no such file/));

  it('a directory', () => expectCleanFailure(bin(['inspect', dir]), /is a directory/));

  it('an empty file', () => {
    writeFileSync(join(dir, 'empty.onnx'), '');
    expectCleanFailure(bin(['inspect', join(dir, 'empty.onnx')]), /the file is empty/);
  });

  it('a text file', () => {
    writeFileSync(join(dir, 'notes.onnx'), 'hello, this is not a model\n');
    expectCleanFailure(bin(['inspect', join(dir, 'notes.onnx')]), /not an ONNX model \(this looks like a text file\)/);
  });

  it('a PNG image', () => {
    writeFileSync(join(dir, 'image.onnx'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    expectCleanFailure(bin(['inspect', join(dir, 'image.onnx')]), /looks like a PNG image/);
  });

  it('a truncated model', () => {
    const bytes = readFileSync(cnn);
    writeFileSync(join(dir, 'truncated.onnx'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expectCleanFailure(bin(['inspect', join(dir, 'truncated.onnx')]), /truncated or corrupt/);
  });

  it('corrupt bytes inside a model', () => {
    const bytes = Buffer.from(readFileSync(cnn));
    for (let i = 40; i < 200; i += 7) bytes[i] = 0xff;
    writeFileSync(join(dir, 'corrupt.onnx'), bytes);
    expectCleanFailure(bin(['inspect', join(dir, 'corrupt.onnx')]), /not a valid ONNX model|invalid|does not|truncated/);
  });

  it('an opset below 9 and one above 21', () => {
    expectCleanFailure(bin(['inspect', modelAtOpset(7)]), /opset 7 is not supported \(glassbox reads ai\.onnx opsets 9 to 21/);
    expectCleanFailure(bin(['run', modelAtOpset(25), '--input', '[[1,2,3]]']), /opset 25 is not supported/);
  });

  it('missing external data', () => {
    const sub = join(dir, 'external');
    mkdirSync(sub);
    copyFileSync(join(MODELS, 'cnn_external_opset17.onnx'), join(sub, 'model.onnx'));
    expectCleanFailure(bin(['inspect', join(sub, 'model.onnx')]), /missing external data file "cnn_external_opset17\.weights"/);
  });
});

describe('bad inputs to run', () => {
  const cnn = fixturePath('cnn_opset17');
  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };

  it('a wrong shape', () => {
    const x = write('small.json', { shape: [2, 1, 20, 20], dtype: 'float32', data: new Array(800).fill(0) });
    expectCleanFailure(bin(['run', cnn, '--input', x]), /input "input" must have shape \[batch, 1, 28, 28\], got \[2, 1, 20, 20\]/);
  });

  it('a wrong dtype', () => {
    const x = write('int.json', { shape: [2, 1, 28, 28], dtype: 'int64', data: new Array(2 * 784).fill(0) });
    expectCleanFailure(bin(['run', cnn, '--input', x]), /input "input" must be float32, got int64/);
  });

  it('NaN in an input', () => {
    const data: (number | string)[] = new Array(2 * 784).fill(0);
    data[5] = 'NaN';
    const x = write('nan.json', { shape: [2, 1, 28, 28], dtype: 'float32', data });
    expectCleanFailure(bin(['run', cnn, '--input', x]), /input "input" contains NaN \(at flat index 5\)/);
  });

  it('a tensor file whose data does not fit its shape, and broken JSON', () => {
    expectCleanFailure(bin(['run', cnn, '--input', write('short.json', { shape: [2, 2], data: [1, 2, 3] })]), /shape \[2, 2\] needs 4 values but "data" has 3/);
    expectCleanFailure(bin(['run', cnn, '--input', write('broken.json', '{"shape": [2,')]), /not valid JSON/);
  });

  it('a non-integer token id for an int64 input', () => {
    expectCleanFailure(bin(['run', fixturePath('transformer_opset17'), '--input', '[[1, 2.5, 3]]']), /value 2\.5 at index 1 is not an integer, but int64 is expected/);
  });

  it('an unknown output name, with a suggestion', () => {
    const x = write('ok.json', { shape: [2, 1, 28, 28], dtype: 'float32', data: new Array(2 * 784).fill(0.5) });
    expectCleanFailure(bin(['run', cnn, '--input', x, '--output', 'logitz']), /no tensor named "logitz" \(did you mean "logits"/);
  });

  it('usage errors exit with status 2', () => {
    const result = bin(['run', cnn]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/required option/);
  });
});
