import { describe, it } from 'vitest';
import { expectLoweredMatches, type RecurrentCase } from './helpers.js';

const variants: [string, RecurrentCase][] = [
  ['forward, defaults, no optional inputs', { op: 'GRU' }],
  ['forward, B, initial_h', { op: 'GRU', bias: true, initialH: true }],
  ['reverse, B, initial_h', { op: 'GRU', direction: 'reverse', bias: true, initialH: true }],
  ['bidirectional, B, initial_h', { op: 'GRU', direction: 'bidirectional', bias: true, initialH: true }],
  ['bidirectional, no B', { op: 'GRU', direction: 'bidirectional', initialH: true }],
  ['clip (bites: large weights)', { op: 'GRU', bias: true, clip: 0.6, scale: 2, initialH: true }],
  ['ragged sequence_lens, forward', { op: 'GRU', bias: true, seqLens: [4, 2, 1], initialH: true }],
  ['ragged sequence_lens, reverse', { op: 'GRU', direction: 'reverse', bias: true, seqLens: [3, 4, 1], initialH: true }],
  ['ragged sequence_lens, bidirectional, zero initial state', { op: 'GRU', direction: 'bidirectional', bias: true, seqLens: [2, 4, 3] }],
  ['sequence_lens with an empty sequence', { op: 'GRU', direction: 'bidirectional', bias: true, seqLens: [0, 4, 2], initialH: true }],
  ['layout 1 (vs Transposes around layout 0)', { op: 'GRU', layout: 1, bias: true, initialH: true }],
  ['layout 1, bidirectional, ragged', { op: 'GRU', layout: 1, direction: 'bidirectional', bias: true, seqLens: [3, 1, 4], initialH: true }],
  ['non-default activations with alpha/beta', { op: 'GRU', bias: true, initialH: true, activations: ['HardSigmoid', 'ScaledTanh'], alpha: [0.3, 1.3], beta: [0.45, 0.7] }],
  ['bidirectional with four activations', { op: 'GRU', direction: 'bidirectional', bias: true, initialH: true, activations: ['Sigmoid', 'Softsign', 'HardSigmoid', 'Elu'], alpha: [0.25, 0.6], beta: [0.4] }],
  // Unbounded candidates (Relu, Softplus) and an Affine update gate: small weights keep the state bounded.
  ['Relu / Affine / Softplus', { op: 'GRU', direction: 'bidirectional', bias: true, activations: ['Sigmoid', 'Relu', 'Affine', 'Softplus'], alpha: [0.9], beta: [0.1], scale: 0.4 }],
  ['LeakyRelu and ThresholdedRelu', { op: 'GRU', direction: 'bidirectional', bias: true, initialH: true, activations: ['Sigmoid', 'LeakyRelu', 'Sigmoid', 'ThresholdedRelu'], alpha: [0.2, 0.1] }],
  ['only Y_h consumed', { op: 'GRU', bias: true, initialH: true, outputs: ['Y_h'] }],
  ['only Y consumed, ragged', { op: 'GRU', direction: 'reverse', bias: true, seqLens: [1, 3, 4], outputs: ['Y'] }],
  ['weights as graph inputs', { op: 'GRU', direction: 'bidirectional', bias: true, initialH: true, weights: 'inputs' }],
  ['symbolic seq and batch dims (sequenceLength option), ragged', { op: 'GRU', bias: true, initialH: true, symbolic: true, seq: 6, seqLens: [6, 3, 1] }],
  ['one time step', { op: 'GRU', seq: 1, bias: true, initialH: true }],
];

// Every variant runs with linear_before_reset 0 and 1.
const cases: [string, RecurrentCase][] = variants.flatMap(([name, c]) => [0, 1].map((lbr): [string, RecurrentCase] => [`${name}, linear_before_reset ${lbr}`, { ...c, linearBeforeReset: lbr }]));

describe('lowerRecurrent: GRU matches onnxruntime (max |diff| ≤ 1e-5, float32)', () => {
  it.each(cases)('%s', async (_, c) => {
    await expectLoweredMatches(c);
  });
});
