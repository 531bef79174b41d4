/**
 * Layer helpers shared by the recipes. Weights use PyTorch's names and layouts (Linear
 * [out, in], Conv [out, in, ...kernel]) so checkpoints map onto PyTorch modules one to one, and
 * only opset-17 forms of ops are written (ReduceMean axes as an attribute; ReduceSum, Squeeze,
 * Unsqueeze and Split sizes as inputs; GELU spelled out with Erf).
 */
import { GlassboxError } from '../../util/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { tensorToProto } from '../../onnx/ir/tensor-proto.js';
import { constant, fanInBound } from './init.js';
import type { InputKind, RecipeContext } from '../types.js';
import type { Net } from './net.js';

/** PyTorch's BatchNorm and LayerNorm epsilon, and its running-statistics momentum. */
export const NORM_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.1;

export type Activation = 'relu' | 'tanh' | 'gelu';

/** nn.Linear on [batch, in] (Gemm) or [..., in] (MatMul by Wᵀ, then the bias). */
export function linear(net: Net, x: string, name: string, inFeatures: number, outFeatures: number, options: { rank?: number; bias?: boolean } = {}): string {
  const bound = fanInBound(inFeatures);
  const w = net.param(`${name}.weight`, net.init.uniform(`${name}.weight`, [outFeatures, inFeatures], bound));
  const b = options.bias === false ? undefined : net.param(`${name}.bias`, net.init.uniform(`${name}.bias`, [outFeatures], bound));
  return net.scope(name, () => {
    if ((options.rank ?? 2) === 2) return net.b.op('Gemm', [x, w, b], { transB: 1 });
    const y = net.op('MatMul', [x, net.op('Transpose', [w], { perm: [1, 0] })]);
    return b ? net.op('Add', [y, b]) : y;
  });
}

/** nn.Conv1d / nn.Conv2d; `pads` in ONNX order (all begins, then all ends). */
export function conv(net: Net, x: string, name: string, inChannels: number, outChannels: number, kernel: number[], pads: number[], bias = true): string {
  const bound = fanInBound(inChannels * kernel.reduce((a, b) => a * b, 1));
  const w = net.param(`${name}.weight`, net.init.uniform(`${name}.weight`, [outChannels, inChannels, ...kernel], bound));
  const b = bias ? net.param(`${name}.bias`, net.init.uniform(`${name}.bias`, [outChannels], bound)) : undefined;
  return net.scope(name, () => net.b.op('Conv', [x, w, b], { kernel_shape: kernel, pads }));
}

/**
 * nn.BatchNorm1d ([batch, C]) or nn.BatchNorm2d ([batch, C, H, W]).
 * Eval form: BatchNormalization with the running statistics.
 * Train form: spelled out with the batch statistics over every axis but the channel axis
 * (the biased variance normalises, as PyTorch does), plus two graph outputs that the trainer
 * folds into the running statistics with momentum 0.1: `<name>.batch_mean` and
 * `<name>.batch_var`, the UNBIASED variance (PyTorch's running_var convention). The running
 * statistics stay initializers of the train form (no node reads them) so the trainer finds the
 * buffers' values there. As in PyTorch, a training batch needs more than one value per channel
 * (BatchNorm1d with batch size 1 gives an infinite unbiased variance).
 */
export function batchNorm(net: Net, x: string, name: string, channels: number, rank: 2 | 4): string {
  const w = net.param(`${name}.weight`, constant([channels], 1));
  const b = net.param(`${name}.bias`, constant([channels], 0));
  const mean = net.state(`${name}.running_mean`, constant([channels], 0));
  const variance = net.state(`${name}.running_var`, constant([channels], 1));
  if (!net.train) return net.scope(name, () => net.b.op('BatchNormalization', [x, w, b, mean, variance], { epsilon: NORM_EPSILON }));
  return net.scope(name, () => {
    const axes = rank === 4 ? [0, 2, 3] : [0];
    const batchMean = net.op('ReduceMean', [x], { axes, keepdims: 1 });
    const centred = net.op('Sub', [x, batchMean]);
    const biased = net.op('ReduceMean', [net.op('Mul', [centred, centred])], { axes, keepdims: 1 });
    const normed = net.op('Div', [centred, net.op('Sqrt', [net.op('Add', [biased, net.scalar(NORM_EPSILON)])])]);
    // Per-channel affine, broadcast over the spatial axes.
    const perChannel = (v: string): string => (rank === 4 ? net.op('Unsqueeze', [v, net.ints([1, 2])]) : v);
    const y = net.op('Add', [net.op('Mul', [normed, perChannel(w)]), perChannel(b)]);
    // n = elements per channel; unbiased = biased · n / (n − 1).
    const n = net.op('Div', [net.op('Cast', [net.op('Size', [x])], { to: 1 }), net.scalar(channels)]);
    const correction = net.op('Div', [n, net.op('Sub', [n, net.scalar(1)])]);
    const named = (suffix: string): string[] => [net.b.reserve(`${name}.${suffix}`)];
    net.b.op('Reshape', [batchMean, net.ints([channels])], {}, { outputs: named('batch_mean') });
    net.b.op('Mul', [net.op('Reshape', [biased, net.ints([channels])]), correction], {}, { outputs: named('batch_var') });
    net.bufferUpdate(`${name}.running_mean`, `${name}.batch_mean`, BN_MOMENTUM, [channels]);
    net.bufferUpdate(`${name}.running_var`, `${name}.batch_var`, BN_MOMENTUM, [channels]);
    return y;
  });
}

/** nn.LayerNorm over the last axis (LayerNormalization exists from opset 17). */
export function layerNorm(net: Net, x: string, name: string, dim: number): string {
  const w = net.param(`${name}.weight`, constant([dim], 1));
  const b = net.param(`${name}.bias`, constant([dim], 0));
  return net.scope(name, () => net.b.op('LayerNormalization', [x, w, b], { axis: -1, epsilon: NORM_EPSILON }));
}

/**
 * nn.Embedding(vocabulary, dim, padding_idx=0): N(0, 1) with the PAD row zero. The recipes
 * also mask padding explicitly, so nothing depends on that row staying zero.
 */
export function embedding(net: Net, ids: string, name: string, vocabulary: number, dim: number): string {
  const table = net.init.normal(`${name}.weight`, [vocabulary, dim]);
  table.data.fill(0, 0, dim);
  const w = net.param(`${name}.weight`, table);
  return net.scope(name, () => net.op('Gather', [w, ids], { axis: 0 }));
}

/** Exact GELU (PyTorch's default): 0.5 · x · (1 + erf(x / √2)); opset 17 has no Gelu op. */
export function gelu(net: Net, x: string): string {
  const erf = net.op('Erf', [net.op('Mul', [x, net.scalar(Math.SQRT1_2)])]);
  return net.op('Mul', [net.op('Mul', [x, net.scalar(0.5)]), net.op('Add', [erf, net.scalar(1)])]);
}

export function activation(net: Net, x: string, kind: Activation): string {
  switch (kind) {
    case 'relu': return net.op('Relu', [x]);
    case 'tanh': return net.op('Tanh', [x]);
    case 'gelu': return gelu(net, x);
    default: throw new GlassboxError('bad-config', `unknown activation "${String(kind)}" (use relu, tanh or gelu)`);
  }
}

/**
 * The token masks every text recipe needs, computed in-graph from input_ids (0 = PAD):
 * `valid` bool [batch, seq] and `validFloat` float [batch, seq].
 */
export function tokenMask(net: Net, ids: string): { valid: string; validFloat: string } {
  return net.scope('mask', () => {
    const valid = net.op('Not', [net.op('Equal', [ids, net.int(0)])]);
    return { valid, validFloat: net.op('Cast', [valid], { to: 1 }) };
  });
}

/**
 * Position ids 0 … seq − 1 of every token, int64 [batch, seq], computed from input_ids' shape
 * (a cumulative sum of ones, which shape inference follows symbolically, unlike a Slice of a
 * table by a runtime length).
 */
export function positionIds(net: Net, ids: string): string {
  return net.scope('positions', () => {
    const ones = net.op('ConstantOfShape', [net.op('Shape', [ids])], { value: tensorToProto('value', Tensor.int64([1], [1])) });
    return net.op('Sub', [net.op('CumSum', [ones, net.int(1)]), net.int(1)]);
  });
}

/**
 * Multi-head self-attention as nn.MultiheadAttention computes it: one packed input projection
 * `<name>.qkv` [3d, d] (q, k, v stacked), scaled dot products, an additive key mask
 * ([batch, 1, 1, seq]: 0 for tokens, −1e9 for PAD, so padded keys get exactly zero weight),
 * softmax, dropout on the attention weights, and the output projection `<name>.out`.
 */
export function attention(net: Net, x: string, name: string, d: number, heads: number, keyMask: string, dropout: number): string {
  if (d % heads !== 0) throw new GlassboxError('bad-config', `the model width ${d} must be divisible by the number of heads ${heads}`);
  const dh = d / heads;
  const qkv = linear(net, x, `${name}.qkv`, d, 3 * d, { rank: 3 });
  const context = net.scope(name, () => {
    const [q, k, v] = net.b.op('Split', [qkv, net.ints([d, d, d])], { axis: 2 }, { outputs: 3 });
    const heads4 = (t: string, perm: number[]): string => net.op('Transpose', [net.op('Reshape', [t, net.ints([0, 0, heads, dh])])], { perm });
    const scores = net.op('MatMul', [net.op('Mul', [heads4(q!, [0, 2, 1, 3]), net.scalar(1 / Math.sqrt(dh))]), heads4(k!, [0, 2, 3, 1])]);
    const weights = net.op('Softmax', [net.op('Add', [scores, keyMask])], { axis: -1 });
    const dropped = net.dropout(weights, name, dropout, ['batch', heads, 'seq', 'seq']);
    const merged = net.op('MatMul', [dropped, heads4(v!, [0, 2, 1, 3])]);
    return net.op('Reshape', [net.op('Transpose', [merged], { perm: [0, 2, 1, 3] }), net.ints([0, 0, d])]);
  });
  return linear(net, context, `${name}.out`, d, d, { rank: 3 });
}

/** Positive integers from a config field, with a one-line error naming it. */
export function positive(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new GlassboxError('bad-config', `${field} must be a positive integer, not ${JSON.stringify(value)}`);
  return value;
}

export function probability(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new GlassboxError('bad-config', `${field} must be a probability in [0, 1), not ${JSON.stringify(value)}`);
  return value;
}

/** The input of a recipe: 'input' (float, [batch, ...shape]) or 'input_ids' (int64, [batch, seq]). */
export function floatInput(net: Net, shape: readonly number[]): string {
  return net.b.input('input', 'float32', ['batch', ...shape]);
}

export function tokenInput(net: Net): string {
  return net.b.input('input_ids', 'int64', ['batch', 'seq']);
}

/** The dataset must be one the recipe reads; text recipes need the vocabulary size. */
export function checkContext(recipe: { name: string; kinds: readonly InputKind[] }, context: RecipeContext): void {
  if (!recipe.kinds.includes(context.kind)) {
    throw new GlassboxError('bad-config', `recipe "${recipe.name}" reads ${recipe.kinds.join(' or ')} inputs, not ${context.kind}`);
  }
  positive(context.classes, 'the number of classes');
  if (context.kind === 'tokens') positive(context.vocabularySize, 'the vocabulary size');
  context.inputShape.forEach((d) => positive(d, 'every input dimension'));
}
