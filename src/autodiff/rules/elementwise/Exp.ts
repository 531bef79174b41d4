import type { GradientRule } from '../../types.js';

/** y = eˣ: dx = dy · y, from the forward output. */
export const Exp: GradientRule = {
  op: 'Exp',
  grad: (g) => [g.op('Mul', [g.GO(0)!, g.O(0)])],
};
