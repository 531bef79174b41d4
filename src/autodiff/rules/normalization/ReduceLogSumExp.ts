import { keepDims, reduceRule } from './reduce-common.js';

/** y = log Σ_axes exp(x): dx = exp(x − y) · dy (the softmax along the axes, from the output). */
export const ReduceLogSumExp = reduceRule('ReduceLogSumExp', (g) =>
  g.op('Mul', [g.op('Exp', [g.op('Sub', [g.I(0), keepDims(g, g.O(0))])]), keepDims(g, g.GO(0)!)]));
