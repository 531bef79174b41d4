import type { GradientRule } from '../../types.js';

/** y = 1/x: dx = −dy · y², from the forward output. */
export const Reciprocal: GradientRule = {
  op: 'Reciprocal',
  grad: (g) => {
    const y = g.O(0);
    return [g.op('Mul', [g.GO(0)!, g.op('Mul', [y, g.op('Neg', [y])])])];
  },
};
