import type { GradientRule } from '../../types.js';

/** y = |x|: dx = dy · sign(x), so Abs'(0) = 0 as in PyTorch (sgn(0) = 0). */
export const Abs: GradientRule = {
  op: 'Abs',
  grad: (g) => [g.op('Mul', [g.GO(0)!, g.op('Sign', [g.I(0)])])],
};
