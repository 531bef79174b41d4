import { describe, expect, it } from 'vitest';
import { lowerRecurrent } from '../../../../src/autodiff/lower/index.js';
import { gradcheck } from '../../../../src/engine/gradcheck.js';
import { initializersToInputs, readWeights } from '../../../../src/onnx/edit/weights.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import { fixtureIO, fixturePath } from '../../../helpers/fixtures.js';
import { buildCase, type RecurrentCase } from './helpers.js';

/**
 * Gradients of the LOWERED graphs, checked against central differences along random
 * directions (test/gradcheck/harness.ts style); the fused nodes never run here. With the default
 * activations the lowered graphs use only ops that have float64 kernels in onnxruntime, so those
 * cases run in float64 (tolerance 1e-6, what central differences with ε = 1e-6 reach).
 * onnxruntime's CPU build has no float64 HardSigmoid, LeakyRelu, Elu, Softsign, Softplus or
 * ThresholdedRelu, so the cases with those activations run in float32 (see FLOAT32_TOLERANCE).
 * The batch dim is symbolic and fed with 3. Weights are fed graph inputs.
 */
async function expectLoweredGradients(c: RecurrentCase, wrt: string[], dtype: 'float32' | 'float64' = 'float64'): Promise<void> {
  const { fused, feeds, outputs } = buildCase({ ...c, dtype, symbolic: true, weights: 'inputs' });
  const model = lowerRecurrent(fused, { sequenceLength: c.seq ?? 4 });
  const results = await gradcheck(model, { feeds, of: outputs, wrt, directions: 3, ...(dtype === 'float32' ? { epsilon: FLOAT32_EPSILON } : {}), runtime: { deterministic: true } });
  const tolerance = dtype === 'float64' ? 1e-6 : FLOAT32_TOLERANCE;
  console.info(`${c.op} ${dtype}: ${results.map((r) => `${r.wrt} ${r.worstRelError.toExponential(1)}`).join(", ")}`);
  for (const r of results) expect(r.worstRelError, `${r.wrt}: ${JSON.stringify(r.checks)}`).toBeLessThan(tolerance);
}

/**
 * float32 central differences with ε = 1e-3·(1 + max|x|) (smaller than the default 1e-2, which
 * steps across the kinks of HardSigmoid/LeakyRelu/ThresholdedRelu and reached 0.3): rounding
 * contributes ~1e-7/1e-3 = 1e-4 relative, truncation and the odd kink crossing ~1e-3 (worst seen:
 * 1.5e-3). 1e-2 leaves a margin while a wrong gradient is off by O(1).
 */
const FLOAT32_TOLERANCE = 1e-2;
const FLOAT32_EPSILON = 1e-3;

const ALL_LSTM = ['X', 'W', 'R', 'B', 'P', 'initial_h', 'initial_c'];

describe('gradients of lowered recurrent nodes (central differences)', () => {
  it('LSTM, bidirectional, peepholes, clip, ragged sequence_lens: w.r.t. X, W, R, B, P and the initial states', async () => {
    await expectLoweredGradients({ op: 'LSTM', direction: 'bidirectional', bias: true, peephole: true, initialH: true, initialC: true, clip: 1.5, seqLens: [4, 2, 3] }, ALL_LSTM);
  });

  it('LSTM, layout 1, input_forget, Relu cell activations', async () => {
    await expectLoweredGradients({ op: 'LSTM', layout: 1, bias: true, inputForget: 1, initialH: true, initialC: true, activations: ['Sigmoid', 'Tanh', 'Relu'] }, ['X', 'W', 'R', 'B', 'initial_h', 'initial_c']);
  });

  it('LSTM, HardSigmoid / Softsign / Elu activations (float32)', async () => {
    await expectLoweredGradients({ op: 'LSTM', direction: 'bidirectional', bias: true, peephole: true, initialH: true, initialC: true, activations: ['HardSigmoid', 'Softsign', 'Elu'], alpha: [0.3], beta: [0.45] }, ALL_LSTM, 'float32');
  });

  it('LSTM, reverse, zero initial state (folded first step)', async () => {
    await expectLoweredGradients({ op: 'LSTM', direction: 'reverse', bias: true, seq: 5 }, ['X', 'W', 'R', 'B']);
  });

  it.each([0, 1])('GRU, bidirectional, ragged sequence_lens, linear_before_reset %i: w.r.t. X, W, R, B, initial_h', async (lbr) => {
    await expectLoweredGradients({ op: 'GRU', direction: 'bidirectional', bias: true, initialH: true, seqLens: [3, 4, 1], linearBeforeReset: lbr }, ['X', 'W', 'R', 'B', 'initial_h']);
  });

  it('GRU, layout 1, clip', async () => {
    await expectLoweredGradients({ op: 'GRU', layout: 1, bias: true, initialH: true, clip: 1.2, linearBeforeReset: 1 }, ['X', 'W', 'R', 'B', 'initial_h']);
  });

  it('GRU, Softplus / Affine / ThresholdedRelu / ScaledTanh activations (float32)', async () => {
    await expectLoweredGradients({ op: 'GRU', direction: 'bidirectional', bias: true, initialH: true, activations: ['Sigmoid', 'Softplus', 'Affine', 'ScaledTanh'], alpha: [0.4, 1.1], beta: [0.5, 0.8], scale: 0.6 }, ['X', 'W', 'R', 'B', 'initial_h'], 'float32');
  });

  it('RNN, bidirectional, Relu / Tanh', async () => {
    await expectLoweredGradients({ op: 'RNN', direction: 'bidirectional', bias: true, initialH: true, activations: ['Relu', 'Tanh'], seqLens: [2, 4, 3] }, ['X', 'W', 'R', 'B', 'initial_h']);
  });

  it('RNN, LeakyRelu / ThresholdedRelu (float32)', async () => {
    await expectLoweredGradients({ op: 'RNN', direction: 'bidirectional', bias: true, initialH: true, activations: ['LeakyRelu', 'ThresholdedRelu'], alpha: [0.2, 0.1], scale: 0.6 }, ['X', 'W', 'R', 'B', 'initial_h'], 'float32');
  });

  it('PyTorch LSTM fixture (float32): w.r.t. the LSTM input and its weights', async () => {
    const model = normalize(loadModel(fixturePath('lstm_opset17')));
    inferShapes(model);
    const lowered = lowerRecurrent(model, { sequenceLength: 7 });
    const weights = ['onnx::LSTM_108', 'onnx::LSTM_109', 'onnx::LSTM_110'];
    // Fed as inputs: gradcheck does not feed weights that stay initializers (see the report).
    const feeds = { ...fixtureIO('lstm_opset17').inputs, ...Object.fromEntries(readWeights(lowered, weights)) };
    initializersToInputs(lowered, weights);
    const results = await gradcheck(lowered, { feeds, of: ['logits'], wrt: ['/rnn/Transpose_output_0', ...weights], epsilon: FLOAT32_EPSILON, runtime: { deterministic: true } });
    // float32 central differences (ε = 1e-2 relative): truncation and rounding leave ~1e-3.
    console.info(`fixture: ${results.map((r) => `${r.wrt} ${r.worstRelError.toExponential(1)}`).join(", ")}`);
    for (const r of results) expect(r.worstRelError, r.wrt).toBeLessThan(FLOAT32_TOLERANCE);
  });
});
