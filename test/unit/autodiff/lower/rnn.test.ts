import { describe, it } from 'vitest';
import { expectLoweredMatches, type RecurrentCase } from './helpers.js';

const cases: [string, RecurrentCase][] = [
  ['forward, defaults, no optional inputs', { op: 'RNN' }],
  ['forward, B, initial_h', { op: 'RNN', bias: true, initialH: true }],
  ['reverse, B, initial_h', { op: 'RNN', direction: 'reverse', bias: true, initialH: true }],
  ['bidirectional, B, initial_h', { op: 'RNN', direction: 'bidirectional', bias: true, initialH: true }],
  ['clip (bites: large weights)', { op: 'RNN', bias: true, clip: 0.5, scale: 2, initialH: true }],
  ['ragged sequence_lens, forward', { op: 'RNN', bias: true, seqLens: [4, 2, 1], initialH: true }],
  ['ragged sequence_lens, reverse', { op: 'RNN', direction: 'reverse', bias: true, seqLens: [3, 4, 1], initialH: true }],
  ['ragged sequence_lens, bidirectional, zero initial state', { op: 'RNN', direction: 'bidirectional', bias: true, seqLens: [2, 4, 3] }],
  ['layout 1 (vs Transposes around layout 0)', { op: 'RNN', layout: 1, direction: 'bidirectional', bias: true, initialH: true, seqLens: [2, 4, 1] }],
  ['Relu', { op: 'RNN', bias: true, initialH: true, activations: ['Relu'] }],
  ['Sigmoid / Softsign per direction', { op: 'RNN', direction: 'bidirectional', bias: true, initialH: true, activations: ['Sigmoid', 'Softsign'] }],
  ['LeakyRelu / Elu with per-direction alpha', { op: 'RNN', direction: 'bidirectional', bias: true, initialH: true, activations: ['LeakyRelu', 'Elu'], alpha: [0.2, 0.7] }],
  ['Affine / ScaledTanh with per-direction alpha, beta', { op: 'RNN', direction: 'bidirectional', bias: true, activations: ['Affine', 'ScaledTanh'], alpha: [0.8, 1.5], beta: [0.1, 0.6] }],
  ['HardSigmoid / ThresholdedRelu', { op: 'RNN', direction: 'bidirectional', bias: true, activations: ['HardSigmoid', 'ThresholdedRelu'], alpha: [0.3, 0.2], beta: [0.5, 0] }],
  ['Softplus', { op: 'RNN', bias: true, activations: ['Softplus'] }],
  // activation_alpha is consumed by the activations that use it, in order; LeakyRelu defaults to 0.01.
  ['Tanh / LeakyRelu: alpha consumed in order of use', { op: 'RNN', direction: 'bidirectional', bias: true, activations: ['Tanh', 'LeakyRelu'], alpha: [0.5, 0.3] }],
  ['LeakyRelu without alpha (0.01)', { op: 'RNN', bias: true, activations: ['LeakyRelu'] }],
  ['empty sequences: Y_h is zero, not initial_h', { op: 'RNN', direction: 'bidirectional', bias: true, initialH: true, seqLens: [0, 4, 2] }],
  ['two activations for one direction (the schema default): the first is used', { op: 'RNN', bias: true, activations: ['Relu', 'Tanh'] }],
  ['only Y_h consumed', { op: 'RNN', direction: 'bidirectional', bias: true, initialH: true, outputs: ['Y_h'] }],
  ['weights as graph inputs, symbolic dims', { op: 'RNN', direction: 'bidirectional', bias: true, initialH: true, weights: 'inputs', symbolic: true, seq: 5 }],
];

describe('lowerRecurrent: RNN matches onnxruntime (max |diff| ≤ 1e-5, float32)', () => {
  it.each(cases)('%s', async (_, c) => {
    await expectLoweredMatches(c);
  });
});
