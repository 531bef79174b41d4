/** Tiny models with closed-form attributions, written with GraphBuilder. */
import { Explainable } from '../../../../src/attribution/explainable.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { Tensor } from '../../../../src/tensor/tensor.js';

/** The weights of the test models: 4 inputs, 2 classes. */
export const W = [[1.5, -0.5], [-2, 1], [0.75, 0.25], [0.5, -1.25]];
export const BIAS = [0.3, -0.2];
/** The interaction x0·x1 added to each class. */
export const C = [2, -1];

/**
 * F(x)[t] = Σ_i W[i][t] x_i + BIAS[t] (+ C[t] x0 x1 with `interaction`; × s with `scaled`, s an
 * extra input [batch, 1]).
 */
export async function tinyModel(options: { interaction?: boolean; scaled?: boolean } = {}): Promise<Explainable> {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', ['batch', 4]);
  let y = g.op('Add', [g.op('MatMul', [x, g.constant('w', Tensor.float32([4, 2], W.flat()))]), g.constant('b', Tensor.float32([2], BIAS))]);
  if (options.interaction) {
    const pick = (i: number): string => g.op('MatMul', [x, g.constant(`e${i}`, Tensor.float32([4, 1], [0, 1, 2, 3].map((k) => (k === i ? 1 : 0))))]);
    const product = g.op('Mul', [pick(0), pick(1)]);
    y = g.op('Add', [y, g.op('MatMul', [product, g.constant('c', Tensor.float32([1, 2], C))])]);
  }
  if (options.scaled) y = g.op('Mul', [y, g.input('s', 'float32', ['batch', 1])]);
  g.output(y);
  return Explainable.create(g.model(), options.scaled ? { input: 'x' } : {});
}

/** The closed form of tinyModel's output. */
export function tinyF(x: readonly number[], t: number, interaction = false): number {
  return x.reduce((s, v, i) => s + W[i]![t]! * v, BIAS[t]!) + (interaction ? C[t]! * x[0]! * x[1]! : 0);
}

/** Every ordering of 0 … n − 1. */
export function allPermutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return allPermutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}
