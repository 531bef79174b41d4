import { expandToInput, reduceRule } from './reduce-common.js';

/** y = log Σ_axes x: dx = dy / Σ x = dy / exp(y), computed on the reduced tensor and broadcast. */
export const ReduceLogSum = reduceRule('ReduceLogSum', (g) =>
  expandToInput(g, g.op('Div', [g.GO(0)!, g.op('Exp', [g.O(0)])])));
