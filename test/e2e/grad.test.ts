import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTensorValue, tensorToJson } from '../../src/tensor/json.js';
import { bin, cli } from '../helpers/cli.js';
import { relError } from '../helpers/compare.js';
import { fixturePath, paddleModel, ROOT } from '../helpers/fixtures.js';

const GRADS = join(ROOT, 'test', 'fixtures', 'gradients');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'glassbox-grad-'));
});

describe('glassbox grad', () => {
  it('matches PyTorch autograd for a CNN with BatchNorm (input and weight gradients)', async () => {
    const fixture = JSON.parse(readFileSync(join(GRADS, 'cnn_bn.grad.json'), 'utf8'));
    const x = join(dir, 'x.json');
    writeFileSync(x, JSON.stringify(fixture.inputs.input));
    const out = join(dir, 'grads.json');
    const { code, stderr } = await cli('grad', join(GRADS, 'cnn_bn.onnx'), '--input', x, '--target', String(fixture.target), '--wrt', 'input', 'conv1.weight', '--json', out);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.of).toBe('logits');
    for (const name of ['input', 'conv1.weight']) {
      const got = parseTensorValue(result.gradients[name], name).tensor;
      expect(relError(got, parseTensorValue(fixture.gradients[name], name).tensor)).toBeLessThan(1e-5);
    }
  });

  it('differentiates w.r.t. an embedding output of a Transformer', async () => {
    const fixture = JSON.parse(readFileSync(join(GRADS, 'transformer.grad.json'), 'utf8'));
    const ids = join(dir, 'ids.json');
    writeFileSync(ids, JSON.stringify(fixture.inputs.input_ids));
    const { code, stdout, stderr } = await cli('grad', join(GRADS, 'transformer.onnx'), '--input', ids, '--target', '1', '--wrt', '/Add_output_0', '--json');
    expect(code, stderr).toBe(0);
    const got = parseTensorValue(JSON.parse(stdout).gradients['/Add_output_0'], 'grad').tensor;
    expect(relError(got, parseTensorValue(fixture.gradients['/Add_output_0'], 'ref').tensor)).toBeLessThan(1e-5);
  });

  it('prints gradients for people', async () => {
    const { code, stdout } = await cli('grad', fixturePath('mlp_opset17'), '--input', '[[1,2,3,4,5,6,7,8],[0,1,0,1,0,1,0,1]]', '--target', '2');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^logits {2}float32 \[2, 3\]/);
    expect(stdout).toMatch(/d logits\[2\] \/ d input {2}float32 \[2, 8\]/);
  });

  it('gives one-line errors for a target out of range, a bad seed and an integer wrt', () => {
    const mlp = fixturePath('mlp_opset17');
    const x = '[[1,2,3,4,5,6,7,8],[0,1,0,1,0,1,0,1]]';
    let r = bin(['grad', mlp, '--input', x, '--target', '3']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('glassbox: target 3 is out of range for "logits" (3 classes on its last axis: 0..2)');
    const seed = join(dir, 'seed.json');
    writeFileSync(seed, JSON.stringify(tensorToJson(parseTensorValue([[1, 0], [0, 1]], 's').tensor)));
    r = bin(['grad', mlp, '--input', x, '--seed', seed]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^glassbox: input "logits_seed" must have shape \[batch, 3\], got \[2, 2\]/);
    r = bin(['grad', fixturePath('transformer_opset17'), '--input', '[[1,2,3]]', '--target', '0', '--wrt', 'input_ids']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^glassbox: "input_ids" is int64; gradients exist only for floating-point tensors/);
    r = bin(['grad', mlp, '--input', x]);
    expect(r.stderr.trim()).toMatch(/has 3 values per row; pick one with --target <k>/);
  });
});

describe('glassbox gradcheck', () => {
  it('passes on a PyTorch MLP and a Transformer (random inputs)', async () => {
    for (const [model, extra] of [[fixturePath('mlp_opset17'), []], [join(GRADS, 'transformer.onnx'), ['--wrt', '/Add_output_0', 'encoder.layers.0.linear1.weight']]] as const) {
      const { code, stdout, stderr } = await cli('gradcheck', model, ...extra, '--json');
      expect(code, stderr).toBe(0);
      const report = JSON.parse(stdout);
      expect(report.ok).toBe(true);
      for (const r of report.results) expect(r.worstRelError).toBeLessThan(2e-2);
    }
  });
});

describe('glassbox gradcheck on a pretrained model', () => {
  it('passes on the PaddleOCR orientation classifier w.r.t. its input', async () => {
    const { code, stdout, stderr } = await cli('gradcheck', paddleModel('cls'), '--dim', 'p2o.DynamicDimension.1=48', '--dim', 'p2o.DynamicDimension.2=192', '--json');
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.results[0].wrt).toBe('x');
    // Float32 finite differences through ~50 Conv/BN/ReLU/Clip layers agree to a few percent;
    // test/gradcheck/composite/paddle.test.ts holds the exact float64 reference (1.6e-6).
    expect(report.results[0].worstRelError).toBeLessThan(5e-2);
  });
});
