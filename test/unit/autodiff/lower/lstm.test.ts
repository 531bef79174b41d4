import { describe, expect, it } from 'vitest';
import { lowerRecurrent } from '../../../../src/autodiff/lower/index.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { buildCase, expectLoweredMatches, opTypes, run, type RecurrentCase } from './helpers.js';

const cases: [string, RecurrentCase][] = [
  ['forward, defaults, no optional inputs', { op: 'LSTM' }],
  ['forward, B, initial_h, initial_c', { op: 'LSTM', bias: true, initialH: true, initialC: true }],
  ['reverse, B, initial states', { op: 'LSTM', direction: 'reverse', bias: true, initialH: true, initialC: true }],
  ['bidirectional, B, initial states', { op: 'LSTM', direction: 'bidirectional', bias: true, initialH: true, initialC: true }],
  ['bidirectional, no B, only initial_h', { op: 'LSTM', direction: 'bidirectional', initialH: true }],
  ['peepholes', { op: 'LSTM', bias: true, peephole: true, initialH: true, initialC: true }],
  ['peepholes, bidirectional, zero initial state', { op: 'LSTM', direction: 'bidirectional', bias: true, peephole: true }],
  ['input_forget', { op: 'LSTM', bias: true, inputForget: 1, initialC: true }],
  ['input_forget with peepholes, reverse', { op: 'LSTM', direction: 'reverse', bias: true, inputForget: 1, peephole: true, initialH: true, initialC: true }],
  ['clip (bites: large weights)', { op: 'LSTM', bias: true, clip: 0.7, scale: 2, initialH: true, initialC: true }],
  ['clip with peepholes, bidirectional', { op: 'LSTM', direction: 'bidirectional', bias: true, peephole: true, clip: 1.5, scale: 2 }],
  ['ragged sequence_lens, forward', { op: 'LSTM', bias: true, seqLens: [4, 2, 1], initialH: true, initialC: true }],
  ['ragged sequence_lens, reverse', { op: 'LSTM', direction: 'reverse', bias: true, seqLens: [3, 4, 1], initialH: true, initialC: true }],
  ['ragged sequence_lens, bidirectional, zero initial state', { op: 'LSTM', direction: 'bidirectional', bias: true, seqLens: [2, 4, 3] }],
  ['sequence_lens with an empty sequence', { op: 'LSTM', direction: 'bidirectional', bias: true, seqLens: [0, 4, 2], initialH: true, initialC: true }],
  ['sequence_lens constant and full (ignored)', { op: 'LSTM', bias: true, seqLens: [4, 4, 4], seqLensConstant: true }],
  ['sequence_lens constant and ragged', { op: 'LSTM', bias: true, seqLens: [1, 4, 3], seqLensConstant: true, initialH: true }],
  ['layout 1 (vs Transposes around layout 0)', { op: 'LSTM', layout: 1, bias: true, initialH: true, initialC: true }],
  ['layout 1, bidirectional, peepholes, ragged', { op: 'LSTM', layout: 1, direction: 'bidirectional', bias: true, peephole: true, seqLens: [3, 1, 4], initialH: true, initialC: true }],
  ['non-default activations with alpha/beta', { op: 'LSTM', bias: true, initialH: true, activations: ['HardSigmoid', 'LeakyRelu', 'ScaledTanh'], alpha: [0.3, 0.05, 1.2], beta: [0.4, 0.8] }],
  ['activation defaults (LeakyRelu 0.01, HardSigmoid 0.2/0.5, Elu 1)', { op: 'LSTM', bias: true, activations: ['HardSigmoid', 'Elu', 'LeakyRelu'] }],
  ['bidirectional with six activations', {
    op: 'LSTM', direction: 'bidirectional', bias: true, initialH: true, initialC: true,
    activations: ['Sigmoid', 'Softsign', 'Softplus', 'HardSigmoid', 'Affine', 'ThresholdedRelu'], alpha: [0.25, 0.7, 0.1], beta: [0.45, -0.2],
  }],
  ['Relu cell activations', { op: 'LSTM', bias: true, activations: ['Sigmoid', 'Relu', 'Relu'], initialH: true }],
  ['only Y_h consumed', { op: 'LSTM', bias: true, initialH: true, initialC: true, outputs: ['Y_h'] }],
  ['only Y_c consumed, ragged', { op: 'LSTM', bias: true, initialC: true, seqLens: [2, 4, 3], outputs: ['Y_c'] }],
  ['only Y consumed', { op: 'LSTM', direction: 'reverse', outputs: ['Y'] }],
  ['weights as graph inputs', { op: 'LSTM', direction: 'bidirectional', bias: true, peephole: true, initialH: true, initialC: true, weights: 'inputs' }],
  ['symbolic seq and batch dims (sequenceLength option)', { op: 'LSTM', direction: 'bidirectional', bias: true, initialH: true, initialC: true, symbolic: true, seq: 5 }],
  ['one time step', { op: 'LSTM', seq: 1, bias: true, initialH: true, initialC: true }],
  ['batch 1, longer sequence', { op: 'LSTM', seq: 12, batch: 1, hidden: 8, input: 3, bias: true, initialH: true, initialC: true }],
];

describe('lowerRecurrent: LSTM matches onnxruntime (max |diff| ≤ 1e-5, float32)', () => {
  it.each(cases)('%s', async (_, c) => {
    await expectLoweredMatches(c);
  });
});

describe('lowerRecurrent: LSTM whose input size is not known statically', () => {
  it('projects with a batched MatMul by Wᵀ instead of the flat Gemm, and still matches', async () => {
    const { fused, feeds, outputs } = buildCase({ op: 'LSTM', direction: 'bidirectional', bias: true, initialH: true, initialC: true, weights: 'inputs', symbolic: true, seq: 5 });
    const X = fused.graph.inputs.find((v) => v.name === 'X')!;
    const W = fused.graph.inputs.find((v) => v.name === 'W')!;
    X.shape = ['seq', 'batch', null];
    W.shape = [2, 16, null];
    fused.graph.valueInfo.clear();
    const lowered = lowerRecurrent(fused, { sequenceLength: 5 });
    expect(opTypes(lowered).filter((t) => t === 'MatMul')).toHaveLength(2);
    const want = await run(fused, feeds, outputs);
    const got = await run(lowered, feeds, outputs);
    for (const name of outputs) expect(maxAbsDiff(got[name]!, want[name]!), name).toBeLessThanOrEqual(1e-5);
  });
});
