import { keepDims, reduceRule } from './reduce-common.js';

/** y = Σ_axes x²: dx = 2 x · dy (the factor 2 is applied to the small reduced tensor). */
export const ReduceSumSquare = reduceRule('ReduceSumSquare', (g) =>
  g.op('Mul', [g.I(0), g.op('Mul', [keepDims(g, g.GO(0)!), g.scalar(2, g.I(0))])]));
