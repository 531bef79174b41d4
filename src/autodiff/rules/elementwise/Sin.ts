import type { GradientRule } from '../../types.js';

/** y = sin x: dx = dy · cos x. */
export const Sin: GradientRule = {
  op: 'Sin',
  grad: (g) => [g.op('Mul', [g.GO(0)!, g.op('Cos', [g.I(0)])])],
};
