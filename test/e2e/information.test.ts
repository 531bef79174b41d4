import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InformationRecord } from '../../src/analysis/information/report/index.js';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { encodeModel } from '../../src/onnx/io.js';
import { RunStore } from '../../src/store/index.js';
import { Random } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { bin, cli, type CliResult } from '../helpers/cli.js';

/** `glassbox information` as a user runs it, on runs trained here in a few seconds. */
let dir: string;
let store: string;
let transformer: string;
let lstm: string;
/** Short optimisations: these tests check the command, not the measure (test/unit/analysis/information does). */
const FAST = ['--steps', '300', '--samples', '20'];

function trainRun(recipe: string, seed: number): string {
  const r = bin(['train', '--recipe', recipe, '--dataset', 'sentiment', '--epochs', '1', '--train-limit', '300', '--test-limit', '50', '--set', 'layers=1', '--checkpoints', 'at:0', '--seed', String(seed), '--store', store, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { runId: string }[])[0]!.runId;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-information-'));
  store = join(dir, 'store');
  transformer = trainRun('transformer', 3);
  lstm = trainRun('lstm', 4);
});

function json<T>(result: CliResult): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe('glassbox information on runs from the store', () => {
  const text = 'the food was terrible and the service slow';

  it('measures every named layer of a sentence, and stores it for the dashboard', async () => {
    const out = json<InformationRecord>(await cli('information', transformer, '--store', store, '--text', text, '--layers', 'all', ...FAST, '--json'));
    expect(out.tokens).toEqual(['the', 'food', 'was', 'terrible', 'and', 'the', 'service', 'slow']);
    expect(out.layers.map((l) => l.name)).toEqual(['layer1', 'encoded', 'pooled']);
    for (const l of out.layers) {
      expect(l.sigma).toHaveLength(8);
      expect(l.entropy).toHaveLength(8);
      for (const s of l.sigma) expect(s > 0 && s <= out.scale).toBe(true);
    }
    const runs = RunStore.open(store);
    try {
      const [stored] = runs.listAnalyses(transformer, { kind: 'information' });
      // The dashboard's contract: kind, step, params { text }, result { tokens, layers[{ name, sigma, entropy }] }.
      expect(stored!.step).toBe(runs.latestCheckpoint(transformer)!.step);
      expect(stored!.params).toEqual({ text });
      const result = stored!.result as InformationRecord;
      expect(result.tokens).toEqual(out.tokens);
      expect(result.layers.map((l) => [l.name, l.sigma.length, l.entropy.length])).toEqual(out.layers.map((l) => [l.name, 8, 8]));
    } finally {
      runs.close();
    }
  });

  it('prints a words × layers table with the mean per layer; --no-save stores nothing', async () => {
    const r = await cli('information', `${lstm}:latest`, '--store', store, '--text', 'great zorblaxian film', '--layers', 'layer1,pooled', ...FAST, '--no-save', '--log');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/: not in the vocabulary, read as the unknown token: zorblaxian\n/);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/log\(σ \/ scale\)/);
    expect(lines[1]).toMatch(/^\s+word\s+layer1\s+pooled$/);
    expect(lines.some((l) => /^\s+great\s+-?\d/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\s+mean\s+-?\d+\.\d\d\s+-?\d+\.\d\d$/);
    const runs = RunStore.open(store);
    try {
      expect(runs.listAnalyses(lstm, { kind: 'information' })).toHaveLength(0);
    } finally {
      runs.close();
    }
  });

  it('--compare puts several models side by side: HTML (no scripts), PNG and JSON', async () => {
    const [html, png, file] = ['c.html', 'c.png', 'c.json'].map((f) => join(dir, f));
    const r = await cli('information', transformer, '--compare', lstm, '--store', store, '--example', '2', ...FAST, '--html', html, '--png', png, '--json', file, '--no-save');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(file, 'utf8')) as { text: string; models: InformationRecord[] };
    expect(out.models.map((m) => m.model.split(':')[0])).toEqual([transformer, lstm]);
    expect(out.models[1]!.layers.map((l) => l.name)).toEqual(['layer1', 'pooled']);
    expect(out.models[0]!.text).toBe(out.text);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<svg[^>]*>/);
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(page).toContain('<title>');
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width!).toBeGreaterThan(800);
    expect(r.stderr).toMatch(/wrote .*c\.png \(png\)/);
  });
});

describe('glassbox information on images', () => {
  let cnn: string;
  beforeAll(() => {
    const r = bin(['train', '--recipe', 'cnn', '--dataset', 'mnist', '--epochs', '1', '--train-limit', '256', '--test-limit', '32', '--checkpoints', 'at:0', '--seed', '5', '--store', store, '--json']);
    expect(r.code, r.stderr).toBe(0);
    cnn = (JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as { runId: string }[])[0]!.runId;
  });

  it('measures a test digit per patch: the layers of the recipe, a summary per layer, the picture, JSON', async () => {
    const [png, html, file] = ['digit.png', 'digit.html', 'digit.json'].map((f) => join(dir, f));
    const r = await cli('information', cnn, '--store', store, '--example', '3', '--patch', '7', '--steps', '200', '--samples', '16', '--png', png, '--html', html, '--json', file);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(file, 'utf8')) as InformationRecord;
    // 'pooled' is the CNN's last hidden layer under another name: measured once.
    expect(out.layers.map((l) => l.name)).toEqual(['layer1', 'layer2', 'layer3']);
    expect(out.image).toMatchObject({ height: 28, width: 28, patch: 7, across: 4, down: 4 });
    expect(out.tokens).toHaveLength(16);
    expect(out.text).toMatch(/^test example 3 of mnist \(label: \d\)$/);
    for (const l of out.layers) for (const s of l.sigma) expect(s > 0 && s <= out.scale).toBe(true);
    expect(r.stdout).toMatch(/4×4 patches of 7×7 px/);
    expect(r.stdout).toMatch(/^ {2}layer3\s+-?\d+\.\d\d {3}kept best \d,\d/m);
    const meta = await sharp(png).metadata();
    expect(meta.width!).toBeGreaterThan(4 * 28);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<img alt="what each layer keeps of the image');
    expect(page).not.toMatch(/<script/);
    // Saved for the dashboard, with the digit it draws the layers over.
    const runs = RunStore.open(store);
    try {
      const [stored] = runs.listAnalyses(cnn, { kind: 'information' });
      expect(stored!.params).toEqual({ input: out.text });
      expect((stored!.result as InformationRecord).image!.picture).toMatch(/^data:image\/png;base64,/);
    } finally {
      runs.close();
    }
  });

  it('takes an image file for an ONNX model, and says what it cannot do', async () => {
    const model = join(dir, 'cnn.onnx');
    expect(bin(['export', `${cnn}:latest`, model, '--store', store]).code).toBe(0);
    const digit = join(dir, 'seven.png');
    await sharp(Buffer.alloc(28 * 28, 0).fill(255, 300, 320), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(digit);
    const out = json<InformationRecord>(await cli('information', model, '--image', digit, '--layers', 'layer2', '--steps', '100', '--json'));
    expect(out.layers.map((l) => l.name)).toEqual(['layer2']);
    expect(out.image!.patch).toBe(2);
    expectOneLineError(await cli('information', model, '--image', digit, '--patch', '40'), /--patch must be a whole number of pixels from 1 to 28, got 40/);
    expectOneLineError(await cli('information', transformer, '--store', store, '--image', digit), /--image needs a model reading images/);
  });
});

describe('glassbox information on ONNX files', () => {
  it('perturbs an embedding-tensor input per position (--input)', async () => {
    // y = mean over positions of tanh(x W): position 2 is multiplied by 0 before anything reads it.
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4, 3]);
    const keep = b.op('Mul', [x, b.constant('keep', Tensor.float32([1, 4, 1], [1, 1, 0, 1]))]);
    const h = b.op('Tanh', [b.op('MatMul', [keep, b.constant('w', Tensor.float32([3, 3], new Random(1).fill(new Float32Array(9))))])], {}, { outputs: ['hidden'] })[0]!;
    b.output(b.op('ReduceMean', [h, b.constant('axes', Tensor.int64([1], [1]))], { keepdims: 0 }));
    const model = join(dir, 'embedded.onnx');
    writeFileSync(model, encodeModel(b.model({ opset: 18 })));
    const input = join(dir, 'x.json');
    writeFileSync(input, JSON.stringify({ shape: [1, 4, 3], dtype: 'float32', data: Array.from(new Random(2).fill(new Float32Array(12))) }));
    const out = json<InformationRecord>(await cli('information', model, '--input', `x=${input}`, '--layers', 'hidden', '--steps', '600', '--json'));
    expect(out.tokens).toEqual(['#0', '#1', '#2', '#3']);
    const [layer] = out.layers;
    // The masked position cannot reach the layer: it takes the largest σ there is.
    expect(layer!.sigma[2]! / out.scale).toBeGreaterThan(0.95);
    for (const p of [0, 1, 3]) expect(layer!.sigma[p]!).toBeLessThan(layer!.sigma[2]!);
  });

  it('one-line errors: unknown layer, no tokenizer, no embedding cut, no input, --save on a file', async () => {
    expectOneLineError(await cli('information', transformer, '--store', store, '--text', 'fine', '--layers', 'layr1'),
      /the model has no layer "layr1" \(did you mean "layer1".*\); candidates: layer1, encoded, pooled/);
    const ids = new GraphBuilder();
    const tokens = ids.input('input_ids', 'int64', [1, 5]);
    ids.output(ids.op('ReduceSum', [ids.op('Cast', [tokens], { to: 1 }), ids.constant('axes', Tensor.int64([1], [1]))], { keepdims: 0 }));
    const noCut = join(dir, 'ids.onnx');
    writeFileSync(noCut, encodeModel(ids.model({ opset: 18 })));
    expectOneLineError(await cli('information', noCut, '--text', 'fine'), /a sentence needs .*ids\.onnx's tokenizer: give --tokenizer/);
    expectOneLineError(await cli('information', noCut, '--input', 'input_ids=[[3, 4, 5, 6, 7]]'), /no embedding cut point.*--embedding <tensor>/);
    expectOneLineError(await cli('information', transformer, '--store', store), /say what to measure: --text/);
    expectOneLineError(await cli('information', transformer, '--store', store, '--input', 'input_ids=[[3, 4, 5]]', '--save'), /--save keeps the information of a sentence or an image for the dashboard; for a tensor use --json/);
    expectOneLineError(await cli('information', noCut, '--input', 'input_ids=[[3, 4, 5, 6, 7]]', '--save'), /--save keeps results with a run of the store; .*ids\.onnx is a file/);
  });

  it('the binary prints no stack trace for a missing model', () => {
    const r = bin(['information', join(dir, 'none.onnx'), '--text', 'hi']);
    expectOneLineError(r, /none\.onnx/);
  });
});
