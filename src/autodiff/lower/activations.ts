import { GlassboxError } from '../../util/errors.js';
import type { Node } from '../../onnx/ir/node.js';
import type { Dim } from '../../onnx/ir/value.js';
import type { LowerEmitter } from './emitter.js';

/** One activation function of a recurrent node, its name lower-cased. */
export interface Activation {
  name: string;
  alpha: number;
  beta: number;
}

/** Which of alpha / beta each activation reads, as onnxruntime's rnn_helpers.cc lists them. */
const USES: Record<string, [alpha: boolean, beta: boolean]> = {
  relu: [false, false], tanh: [false, false], sigmoid: [false, false], softsign: [false, false], softplus: [false, false],
  affine: [true, true], leakyrelu: [true, false], thresholdedrelu: [true, false], scaledtanh: [true, true],
  hardsigmoid: [true, true], elu: [true, false],
};

/** onnxruntime's defaults when activation_alpha/beta run out (every other default is 0). */
const DEFAULTS: Record<string, [number, number]> = { leakyrelu: [0.01, 0], hardsigmoid: [0.2, 0.5], elu: [1, 0] };

export const DEFAULT_ACTIVATIONS: Record<string, readonly string[]> = {
  LSTM: ['Sigmoid', 'Tanh', 'Tanh'],
  GRU: ['Sigmoid', 'Tanh'],
  RNN: ['Tanh'],
};

/**
 * The activations of each direction ([direction][f, g, h]), with the alpha/beta each one uses.
 *
 * onnxruntime's conventions (checked against onnxruntime-node 1.30 in the tests) are followed
 * where the spec leaves room: activation_alpha/activation_beta are consumed in order by the
 * activations that take the parameter (Affine, LeakyRelu, ThresholdedRelu, ScaledTanh,
 * HardSigmoid, Elu), and an activation whose value has run out gets LeakyRelu 0.01,
 * HardSigmoid (0.2, 0.5), Elu 1, anything else 0. A list of activations for one direction given to a bidirectional node is used for both, and an
 * RNN given two activations with one direction uses the first (the schema's old default).
 */
export function parseActivations(node: Node, dirs: number): Activation[][] {
  const op = node.opType;
  const k = DEFAULT_ACTIVATIONS[op]!.length;
  let names = node.has('activations') ? node.strings('activations') : [];
  if (names.length === 0) names = Array.from({ length: dirs }, () => DEFAULT_ACTIVATIONS[op]!).flat();
  else if (names.length === k && dirs === 2) names = [...names, ...names];
  else if (op === 'RNN' && dirs === 1 && names.length === 2) names = names.slice(0, 1);
  if (names.length !== k * dirs) {
    throw new GlassboxError('bad-model', `${node.describe()} lists ${names.length} activations; ${op} with ${dirs} direction${dirs > 1 ? 's' : ''} needs ${k * dirs}`);
  }
  const alphas = node.has('activation_alpha') ? node.floats('activation_alpha') : [];
  const betas = node.has('activation_beta') ? node.floats('activation_beta') : [];
  let nextAlpha = 0;
  let nextBeta = 0;
  const acts = names.map((raw): Activation => {
    const name = raw.toLowerCase();
    const uses = USES[name];
    if (!uses) throw new GlassboxError('bad-model', `${node.describe()} uses the activation "${raw}", which is not one of ${Object.keys(USES).join(', ')}`);
    const [alpha0, beta0] = DEFAULTS[name] ?? [0, 0];
    const alpha = uses[0] ? (nextAlpha < alphas.length ? alphas[nextAlpha++]! : alpha0) : 0;
    const beta = uses[1] ? (nextBeta < betas.length ? betas[nextBeta++]! : beta0) : 0;
    return { name, alpha, beta };
  });
  return Array.from({ length: dirs }, (_, d) => acts.slice(d * k, (d + 1) * k));
}

/**
 * Emits act(x). Sigmoid, Tanh and Relu are single nodes; Affine and ScaledTanh are spelled out
 * with Mul/Add/Tanh; the others use the ONNX op of the same definition (LeakyRelu, Elu,
 * ThresholdedRelu: x > alpha, HardSigmoid, Softsign, Softplus).
 */
export function emitActivation(e: LowerEmitter, act: Activation, x: string, shape: Dim[]): string {
  switch (act.name) {
    case 'sigmoid': return e.op('Sigmoid', [x], undefined, shape);
    case 'tanh': return e.op('Tanh', [x], undefined, shape);
    case 'relu': return e.op('Relu', [x], undefined, shape);
    case 'affine': {
      const scaled = act.alpha === 1 ? x : e.op('Mul', [x, e.scalar(act.alpha)], undefined, shape);
      return act.beta === 0 ? scaled : e.op('Add', [scaled, e.scalar(act.beta)], undefined, shape);
    }
    case 'scaledtanh': {
      const inner = act.beta === 1 ? x : e.op('Mul', [x, e.scalar(act.beta)], undefined, shape);
      const t = e.op('Tanh', [inner], undefined, shape);
      return act.alpha === 1 ? t : e.op('Mul', [t, e.scalar(act.alpha)], undefined, shape);
    }
    case 'leakyrelu': return e.op('LeakyRelu', [x], { alpha: act.alpha }, shape);
    case 'thresholdedrelu': return e.op('ThresholdedRelu', [x], { alpha: act.alpha }, shape);
    case 'hardsigmoid': return e.op('HardSigmoid', [x], { alpha: act.alpha, beta: act.beta }, shape);
    case 'elu': return e.op('Elu', [x], { alpha: act.alpha }, shape);
    case 'softsign': return e.op('Softsign', [x], undefined, shape);
    case 'softplus': return e.op('Softplus', [x], undefined, shape);
    default: throw new GlassboxError('internal', `unknown recurrent activation ${act.name}`);
  }
}
