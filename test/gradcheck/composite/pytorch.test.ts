import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHvpGraph } from '../../../src/autodiff/hvp.js';
import { loadModel } from '../../../src/onnx/io.js';
import { GradientSession } from '../../../src/engine/gradient-session.js';
import { prepareModel } from '../../../src/engine/prepare.js';
import { targetSeed } from '../../../src/engine/seeds.js';
import { Session } from '../../../src/runtime/session.js';
import { parseTensorValue } from '../../../src/tensor/json.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { maxAbsDiff, relError } from '../../helpers/compare.js';
import { ROOT } from '../../helpers/fixtures.js';

const DIR = join(ROOT, 'test', 'fixtures', 'gradients');

interface GradFixture {
  inputs: Record<string, Tensor>;
  target: number;
  activations: string[];
  initializers: string[];
  logits: Tensor;
  gradients: Record<string, Tensor>;
}

function readTensors(group: Record<string, unknown>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(group).map(([k, v]) => [k, parseTensorValue(v, k).tensor]));
}

function gradFixture(name: string): GradFixture {
  const raw = JSON.parse(readFileSync(join(DIR, `${name}.grad.json`), 'utf8'));
  return {
    inputs: readTensors(raw.inputs), target: raw.target, activations: raw.wrt.activations, initializers: raw.wrt.initializers,
    logits: parseTensorValue(raw.outputs.logits, 'logits').tensor, gradients: readTensors(raw.gradients),
  };
}

/**
 * Composite models exported from PyTorch: glassbox's float32 gradients w.r.t. the input (or the
 * embedding output) and every weight must match PyTorch autograd (computed in float64) to 1e-5
 * relative error, per tensor.
 */
describe('gradients of PyTorch models match autograd', () => {
  it.each(['mlp', 'cnn_bn', 'transformer', 'lstm', 'gru', 'textcnn', 'resblock', 'mobilenet_block'])('%s', async (name) => {
    const fixture = gradFixture(name);
    const { model } = await prepareModel(loadModel(join(DIR, `${name}.onnx`)));
    const wrt = [...fixture.activations, ...fixture.initializers];
    // LSTM/GRU: the sequence length (7) is read from the feeds and the graph unrolled for it.
    const session = await GradientSession.create(model, { of: ['logits'], wrt });
    try {
      const seed = targetSeed(fixture.logits.shape, 'float32', fixture.target, 'logits');
      const result = await session.run(fixture.inputs, { logits: seed });
      expect(relError(result.outputs.logits!, fixture.logits)).toBeLessThan(1e-5);
      const errors = Object.fromEntries(wrt.map((w) => [w, relError(result.gradients[w]!, fixture.gradients[w]!)]));
      for (const [w, error] of Object.entries(errors)) expect(error, `${name}: d logits[${fixture.target}] / d ${w}`).toBeLessThan(1e-5);
    } finally {
      await session.release();
    }
  });
});

/** Hessian-vector products by differentiating the gradient graph, against PyTorch double backward. */
describe('Hessian-vector products match PyTorch double backward', () => {
  it.each(['mlp', 'transformer'])('%s', async (name) => {
    const raw = JSON.parse(readFileSync(join(DIR, `${name}.hvp.json`), 'utf8'));
    const inputs = readTensors(raw.inputs);
    const v = readTensors(raw.v);
    const want = readTensors(raw.hvp);
    const wrt = Object.keys(v);
    const { model } = await prepareModel(loadModel(join(DIR, `${name}.onnx`)));
    const graph = buildHvpGraph(model, { of: ['logits'], wrt });
    const session = await Session.create(graph.model, { disabledOptimizers: ['TransposeOptimizer'] });
    try {
      const logits = gradFixture(name).logits;
      const feeds: Record<string, Tensor> = { ...inputs, [graph.seeds.logits!]: targetSeed(logits.shape, 'float32', raw.target, 'logits') };
      for (const w of wrt) feeds[graph.vectors[w]!] = v[w]!;
      const out = await session.run(feeds, { outputs: wrt.map((w) => graph.hvp[w]!) });
      for (const w of wrt) {
        const got = out[graph.hvp[w]!]!;
        const reference = want[w]!;
        // A Hessian row can be exactly zero (the last bias: no gradient depends on it).
        const error = reference.toNumbers().every((x) => x === 0) ? maxAbsDiff(got, reference) : relError(got, reference);
        expect(error, `${name}: (H·v) for ${w}`).toBeLessThan(1e-5);
      }
    } finally {
      await session.release();
    }
  });
});
