import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { encodeModel } from '../../src/onnx/io.js';
import { parseTensorValue } from '../../src/tensor/json.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { bin, cli, type CliResult } from '../helpers/cli.js';
import { relError } from '../helpers/compare.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * `glassbox attribute` as a user runs it. Numbers are checked against the Captum-definition
 * fixtures (test/fixtures/attribution, float64 PyTorch) at the bounds the parity tests justify:
 * the CLI must add nothing to the library's error.
 */
const FIXTURES = join(ROOT, 'test', 'fixtures', 'attribution');
interface Case { id: string; expected: { attributions: unknown; delta?: unknown } }
interface Fixture { input: { name: string; tensor: unknown }; target: number[]; logits: unknown; additionalForwardArgs?: Record<string, unknown>; cases: Case[] }

const load = (name: string): Fixture => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Fixture;
const tensor = (v: unknown): Tensor => parseTensorValue(v, 'fixture').tensor;
const expected = (f: Fixture, id: string): Case['expected'] => f.cases.find((c) => c.id === id)!.expected;

let dir: string;
let cnn: Fixture;
let cnnInput: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-attribute-'));
  cnn = load('cnn');
  cnnInput = join(dir, 'cnn-x.json');
  writeFileSync(cnnInput, JSON.stringify(cnn.input.tensor));
});

function json(result: CliResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

function expectOneLineError(result: CliResult, pattern: RegExp, code = 1): void {
  expect(result.code).toBe(code);
  expect(result.stderr).toMatch(pattern);
  if (code === 1) expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('glassbox attribute on tensors (Captum parity through the CLI)', () => {
  const model = join(FIXTURES, 'cnn.onnx');

  it('integrated gradients: attributions and convergence delta, one target per row', async () => {
    const out = json(await cli('attribute', model, '-m', 'integrated-gradients', '-i', cnnInput, '--target', cnn.target.join(','), '--json'));
    const want = expected(cnn, 'ig/gausslegendre/50');
    expect(out.method).toBe('integrated-gradients');
    expect(out.target).toEqual(cnn.target);
    expect(out.params).toEqual({ returnConvergenceDelta: true });
    expect(relError(tensor(out.attribution), tensor(want.attributions))).toBeLessThan(1e-5);
    const delta = out.delta as number[];
    const wantDelta = tensor(want.delta).toNumbers();
    delta.forEach((d, i) => expect(Math.abs(d - wantDelta[i]!)).toBeLessThan(1e-5));
  });

  it('Grad-CAM upsampled, and occlusion with a window and strides', async () => {
    const cam = json(await cli('attribute', model, '-m', 'layer-grad-cam', '--layer', '/Relu_1_output_0', '--upsample', 'bilinear', '-i', cnnInput, '--target', cnn.target.join(','), '--json'));
    expect(relError(tensor(cam.attribution), tensor(expected(cnn, 'layer-grad-cam/upsample=bilinear').attributions))).toBeLessThan(1e-5);
    const occ = json(await cli('attribute', model, '-m', 'occlusion', '--window', '1,3,3', '--strides', '1,2,2', '-i', cnnInput, '--target', cnn.target.join(','), '--json'));
    expect(relError(tensor(occ.attribution), tensor(expected(cnn, 'occlusion').attributions))).toBeLessThan(1e-4);
  });

  it('explains the predicted class when no target is given', async () => {
    const row = tensor(cnn.input.tensor).sliceBatch(1, 2);
    const x = join(dir, 'row1.json');
    writeFileSync(x, JSON.stringify({ shape: row.shape, dtype: 'float32', data: Array.from(row.data as Float32Array) }));
    const out = json(await cli('attribute', model, '-m', 'saliency', '-i', x, '--json'));
    const logits = tensor(cnn.logits).toNumbers().slice(4, 8);
    const best = logits.indexOf(Math.max(...logits));
    expect(out.target).toBe(best);
    expect((out.prediction as { class: number }[])[0]!.class).toBe(best);
  });

  it('attributes a text model fed token ids at its embedding output', async () => {
    const f = load('transformer');
    const ids = join(dir, 'ids.json');
    writeFileSync(ids, JSON.stringify(f.additionalForwardArgs!.input_ids));
    const out = json(await cli('attribute', join(FIXTURES, 'transformer.onnx'), '-m', 'integrated-gradients', '-i', `input_ids=${ids}`, '--target', f.target.join(','), '--json'));
    expect(out.attributedTo).toBe(f.input.name);
    expect(relError(tensor(out.attribution), tensor(expected(f, 'ig/gausslegendre/50').attributions))).toBeLessThan(1e-5);
  });

  it('reads an image file: the same attributions as the tensor of its pixels', async () => {
    const row = tensor(cnn.input.tensor).sliceBatch(0, 1);
    const bytes = Uint8Array.from(Array.from(row.data as Float32Array, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
    const png = join(dir, 'x.png');
    await sharp(Buffer.from(bytes), { raw: { width: 12, height: 12, channels: 1 } }).png().toFile(png);
    const pixels = join(dir, 'pixels.json');
    writeFileSync(pixels, JSON.stringify({ shape: [1, 1, 12, 12], dtype: 'float32', data: Array.from(bytes, (b) => b / 255) }));
    const fromImage = json(await cli('attribute', model, '-m', 'integrated-gradients', '--image', png, '--target', '2', '--json'));
    const fromTensor = json(await cli('attribute', model, '-m', 'integrated-gradients', '-i', pixels, '--target', '2', '--json'));
    expect(relError(tensor(fromImage.attribution), tensor(fromTensor.attribution))).toBeLessThan(1e-6);
  });

  it('draws several methods side by side in one PNG, and the same panels in HTML', async () => {
    const png = join(dir, 'panels.png');
    const html = join(dir, 'panels.html');
    const r = await cli('attribute', model, '-m', 'integrated-gradients,saliency,layer-grad-cam', '--layer', '/Relu_1_output_0', '-i', cnnInput, '--png', png, '--html', html);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Integrated Gradients:[\s\S]*Saliency:[\s\S]*Grad-CAM:/);
    const meta = await sharp(png).metadata();
    // Per input row (two): the input and three methods, each panel 12 px × zoom 18 = 216 px wide.
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(8 * 216);
    expect(readFileSync(html, 'utf8')).toMatch(/<img alt="attributions over the input" src="data:image\/png;base64,/);
  });
});

describe('glassbox attribute on a text model from the run store', () => {
  let store: string;
  let run: string;
  beforeAll(() => {
    store = join(dir, 'store');
    const trained = bin(['train', '--recipe', 'transformer', '--dataset', 'sentiment', '--epochs', '1', '--train-limit', '300', '--test-limit', '50', '--set', 'layers=1', '--checkpoints', 'at:0', '--seed', '3', '--store', store, '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    run = (JSON.parse(trained.stdout.slice(trained.stdout.indexOf('['))) as { runId: string }[])[0]!.runId;
  }, 60_000);

  it('tokenizes with the run\'s vocabulary; token values sum to F(x) − F(PAD baseline)', async () => {
    const text = 'The service was terribly slow, but the dessert was wonderful.';
    const out = json(await cli('attribute', run, '--store', store, '-m', 'integrated-gradients', '--text', text, '--target', 'positive', '--json'));
    expect(out.target).toBe(1);
    const tokens = out.tokens as { token: string; value: number }[];
    expect(tokens.map((t) => t.token)).toEqual(['the', 'service', 'was', 'terribly', 'slow', ',', 'but', 'the', 'dessert', 'was', 'wonderful', '.']);
    expect((out.words as { word: string }[]).map((w) => w.word)).toEqual(['The', 'service', 'was', 'terribly', 'slow', ',', 'but', 'the', 'dessert', 'was', 'wonderful', '.']);
    const sum = tokens.reduce((a, t) => a + t.value, 0);
    const delta = (out.delta as number[])[0]!;
    // IG completeness: Σ tokens = F(x) − F(baseline) + delta, and with 50 Gauss–Legendre steps
    // on this smooth model the delta is tiny next to the sum.
    expect(Math.abs(delta)).toBeLessThan(1e-3 * Math.max(1e-3, Math.abs(sum)) + 1e-5);
    // The baseline is the PAD-token embeddings of the sentence's length: shaped like the input.
    expect((out.params as { baselines: unknown }).baselines).toEqual({ tensor: (out.attribution as { shape: number[] }).shape });
  });

  it('explains a test example and writes the HTML heatmap, one row per method', async () => {
    const html = join(dir, 'text.html');
    const r = await cli('attribute', run, '--store', store, '-m', 'integrated-gradients,occlusion', '--example', '2', '--html', html, '--no-color');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test example 2 of sentiment \(label: (positive|negative)\)/);
    expect(r.stdout).toMatch(/convergence delta/);
    const page = readFileSync(html, 'utf8');
    // One row of tokens per method.
    expect(page.match(/class="tokens"/g)).toHaveLength(2);
    expect(page).toMatch(/Integrated Gradients[\s\S]*Occlusion/);
  });

  it('writes the JSON file atomically beside the terminal output, and names words the model never saw', async () => {
    const file = join(dir, 'out.json');
    const r = await cli('attribute', `${run}:latest`, '--store', store, '-m', 'saliency', '--text', 'great zorblaxian film', '--json', file, '--no-color');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Saliency/);
    expect(r.stdout).toMatch(/^not in the model's vocabulary, read as the unknown token: zorblaxian$/m);
    const out = JSON.parse(readFileSync(file, 'utf8')) as { tokens: unknown[]; unknownWords: string[] };
    expect(out.tokens).toHaveLength(3);
    expect(out.unknownWords).toEqual(['zorblaxian']);
  });

  it('one-line errors for text-specific mistakes', async () => {
    expectOneLineError(await cli('attribute', run, '--store', store, '-m', 'saliency', '--text', 'fine', '--png', join(dir, 'no.png')), /--png draws images; for text use --html/);
    expectOneLineError(await cli('attribute', run, '--store', store, '-m', 'saliency', '--example', '99999'), /--example 99999 is out of range: sentiment's test split has \d+ examples/);
    expectOneLineError(await cli('attribute', run, '--store', store, '-m', 'saliency', '--text', 'fine', '--target', 'neutral'), /--target "neutral" is not a class of the model \(classes: negative, positive\)/);
    expectOneLineError(await cli('attribute', join(FIXTURES, 'transformer.onnx'), '-m', 'saliency', '--text', 'fine'), /--text needs the model's tokenizer/);
  });
});

describe('glassbox attribute: bad input gets a one-line error', () => {
  const model = join(FIXTURES, 'cnn.onnx');
  it.each([
    [['-m', 'integrated-gradients', '-i', 'X', '--target', '9'], /target 9 is out of range for "logits" \(4 classes on its last axis: 0\.\.3\)/],
    [['-m', 'occlusion', '-i', 'X'], /occlusion needs --window/],
    [['-m', 'layer-grad-cam', '-i', 'X'], /layer-grad-cam needs a layer/],
    [['-m', 'layer-grad-cam', '--layer', '/Flatten_output_0', '-i', 'X'], /Grad-CAM needs a spatial layer \[batch, channels, \.\.\.spatial\]; "\/Flatten_output_0" has rank 2/],
    [['-m', 'integrated-gradients', '-i', 'X', '--baseline', '[[1, 2]]'], /the baseline has shape \[1, 2\] but the input has shape \[2, 1, 12, 12\]/],
    [['-m', 'integrated-gradients', '-i', 'X', '--baseline', 'missing.json'], /missing\.json: no such file/],
    [['-m', 'saliency'], /say what to explain/],
    [['-m', 'saliency', '-i', 'X', '--image', 'y.png'], /give one input, not an --input and an --image/],
    [['-m', 'saliency', '--example', '0'], /--example picks a test example of a run's dataset/],
    [['-m', 'saliency', '-i', 'X', '--png', 'OUT', '--target', '0', '--layer', 'x'], null],
  ])('%j', async (args, pattern) => {
    const argv = args.map((a) => (a === 'X' ? cnnInput : a === 'OUT' ? join(dir, 'ok.png') : a));
    const r = await cli('attribute', model, ...argv);
    if (pattern === null) expect(r.code, r.stderr).toBe(0);
    else expectOneLineError(r, pattern);
  });

  it('a model whose output reaches the input only through non-differentiable ops', async () => {
    // scores = one-hot(argmax(x)) · 2: the output depends on x, but its gradient is zero everywhere.
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4]);
    const max = b.op('ReduceMax', [x, b.constant('axes', Tensor.int64([1], [1]))], { keepdims: 1 });
    const hot = b.op('Cast', [b.op('Equal', [x, max])], { to: 1 });
    b.output(b.op('Mul', [hot, b.constant('two', Tensor.float32([1], [2]))]));
    const path = join(dir, 'argmax.onnx');
    writeFileSync(path, encodeModel(b.model({ opset: 18 })));
    const r = await cli('attribute', path, '-m', 'saliency', '-i', '[[0.1, 0.9, 0.3, 0.2]]', '--target', '1');
    expectOneLineError(r, /does not depend on "x" through differentiable operations/);
  });

  it('an unknown method is a usage error that suggests the name', async () => {
    const r = await cli('attribute', model, '-m', 'integrated-gradient', '-i', cnnInput);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean "integrated-gradients"/);
  });

  it('the binary prints no stack trace for a missing model', () => {
    const r = bin(['attribute', join(dir, 'none.onnx'), '-m', 'saliency', '-i', cnnInput]);
    expectOneLineError(r, /none\.onnx/);
  });
});
