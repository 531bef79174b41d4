import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTensorValue, tensorToJson } from '../../src/tensor/json.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Random } from '../../src/util/random.js';
import { bin, cli } from '../helpers/cli.js';
import { relError } from '../helpers/compare.js';
import { fixtureIO, fixturePath, paddleModel } from '../helpers/fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-cli-'));
});

function writeTensor(name: string, t: Tensor): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(tensorToJson(t)));
  return path;
}

/** What onnxruntime computes on the original file, with no glassbox code in between. */
async function ortReference(path: string, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(path);
  const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.dtype as 'float32', t.data as Float32Array, t.shape as number[])]));
  const out = await session.run(ortFeeds);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, new Tensor(v.type as 'float32', v.dims as number[], v.data as Float32Array)]));
}

describe('glassbox inspect', () => {
  it('summarises a PyTorch CNN (opset 17) as JSON', async () => {
    const { code, stdout } = await cli('inspect', fixturePath('cnn_opset17'), '--json');
    expect(code).toBe(0);
    const s = JSON.parse(stdout);
    expect(s.opset).toBe(17);
    expect(s.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['batch', 1, 28, 28] }]);
    expect(s.outputs).toEqual([{ name: 'logits', dtype: 'float32', shape: ['batch', 10] }]);
    expect(s.ops).toEqual({ Conv: 2, Relu: 3, MaxPool: 1, Constant: 1, Pad: 1, AveragePool: 1, Flatten: 1, Gemm: 2 });
    // conv1 4x1x5x5+4, conv2 8x4x5x5+8, fc1 32x200+32, fc2 10x32+10
    expect(s.parameters.count).toBe(104 + 808 + 6432 + 330);
    expect(s.hookable.find((h: { name: string }) => h.name === '/conv1/Conv_output_0')).toEqual({ name: '/conv1/Conv_output_0', op: 'Conv', dtype: 'float32', shape: ['batch', 4, 28, 28] });
    expect(Array.isArray(s.gradients.missing)).toBe(true);
  });

  it('summarises a Transformer with symbolic sequence length', async () => {
    const s = JSON.parse((await cli('inspect', fixturePath('transformer_opset17'), '--json')).stdout);
    expect(s.ops.LayerNormalization).toBe(4);
    expect(s.hookable.some((h: { shape: unknown }) => JSON.stringify(h.shape) === JSON.stringify(['batch', 'seq', 32]))).toBe(true);
    expect(s.shapes.known).toBe(s.shapes.total);
  });

  it('summarises a model with an LSTM node', async () => {
    const s = JSON.parse((await cli('inspect', fixturePath('lstm_opset17'), '--json')).stdout);
    expect(s.ops.LSTM).toBe(1);
    expect(s.hookable.find((h: { op: string }) => h.op === 'LSTM').shape).toEqual(['seq', 1, 'batch', 24]);
  });

  it.each(['det', 'rec', 'cls'] as const)('summarises the PaddleOCR %s model (Constant-node weights)', async (which) => {
    const s = JSON.parse((await cli('inspect', paddleModel(which), '--json')).stdout);
    expect([9, 11]).toContain(s.opset);
    expect(s.ops.Constant).toBeGreaterThan(200);
    expect(s.parameters.count).toBeGreaterThan(100_000); // the Constant-node weights count as parameters
    expect(s.hookable.length).toBeGreaterThan(200);
  });

  it('prints a readable summary', () => {
    const { code, stdout } = bin(['inspect', fixturePath('mlp_opset17')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/producer pytorch/);
    expect(stdout).toMatch(/input\s+float32\s+\[batch, 8\]/);
    expect(stdout).toMatch(/hookable tensors/);
  });
});

describe('glassbox run', () => {
  it.each(['cnn_opset9', 'cnn_opset17', 'transformer_opset11', 'transformer_opset17', 'lstm_opset17', 'gru_opset17', 'bilstm_opset17', 'mlp_opset17', 'upsample_nearest_opset9', 'ops_opset11'])(
    '%s: outputs match PyTorch and onnxruntime on the original file',
    async (name) => {
      const io = fixtureIO(name);
      const args = Object.entries(io.inputs).flatMap(([k, t]) => ['--input', `${k}=${writeTensor(`${name}-${k}.json`, t)}`]);
      const { code, stdout, stderr } = await cli('run', fixturePath(name), ...args, '--json');
      expect(code, stderr).toBe(0);
      const outputs = JSON.parse(stdout).outputs as Record<string, unknown>;
      const reference = await ortReference(fixturePath(name), io.inputs);
      for (const [key, value] of Object.entries(outputs)) {
        const got = parseTensorValue(value, key).tensor;
        expect(relError(got, reference[key]!)).toBeLessThan(1e-6);
        expect(relError(got, io.outputs[key]!)).toBeLessThan(1e-5);
      }
    },
  );

  it.each([['cls', [2, 3, 48, 192]], ['rec', [2, 3, 48, 160]], ['det', [1, 3, 96, 128]]] as const)('PaddleOCR %s: outputs match onnxruntime on the original file', async (which, shape) => {
    const random = new Random(3);
    const x = Tensor.float32(shape, Array.from({ length: shape.reduce((a: number, b: number) => a * b, 1) }, () => random.uniform(-1, 1)));
    const out = join(dir, `paddle-${which}.json`);
    const { code, stderr } = await cli('run', paddleModel(which), '--input', writeTensor(`paddle-${which}-x.json`, x), '--json', out);
    expect(code, stderr).toBe(0);
    const reference = await ortReference(paddleModel(which), { x });
    for (const [key, value] of Object.entries(JSON.parse(readFileSync(out, 'utf8')).outputs as Record<string, unknown>)) {
      expect(relError(parseTensorValue(value, key).tensor, reference[key]!)).toBeLessThan(1e-5);
    }
  });

  it('fetches intermediate tensors by name', async () => {
    const io = fixtureIO('cnn_opset17');
    const x = writeTensor('cnn-x.json', io.inputs.input!);
    const { code, stdout } = await cli('run', fixturePath('cnn_opset17'), '--input', x, '--output', '/pool1/MaxPool_output_0', 'logits', '--json');
    expect(code).toBe(0);
    const outputs = JSON.parse(stdout).outputs;
    expect(outputs['/pool1/MaxPool_output_0'].shape).toEqual([2, 4, 14, 14]);
    expect(relError(parseTensorValue(outputs.logits, 'logits').tensor, io.outputs.logits!)).toBeLessThan(1e-5);
  });

  it('runs in batches with the same result', async () => {
    const random = new Random(5);
    const x = writeTensor('batch7.json', Tensor.float32([7, 8], Array.from({ length: 56 }, () => random.normal())));
    const whole = JSON.parse((await cli('run', fixturePath('mlp_opset17'), '--input', x, '--json')).stdout).outputs.logits;
    const chunked = JSON.parse((await cli('run', fixturePath('mlp_opset17'), '--input', x, '--json', '--batch-size', '3')).stdout).outputs.logits;
    expect(chunked).toEqual(whole);
  });

  it('prints readable tensors', async () => {
    const { stdout } = await cli('run', fixturePath('mlp_opset17'), '--input', '[[1,2,3,4,5,6,7,8],[0,0,0,0,0,0,0,0]]');
    expect(stdout).toMatch(/^logits {2}float32 \[2, 3\]\n {2}\[\[/);
  });
});
