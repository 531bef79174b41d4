import type { GradientRule } from '../../types.js';

/** dx = dy · y · (1 − y), from the forward output. */
export const Sigmoid: GradientRule = {
  op: 'Sigmoid',
  grad: (g) => {
    const y = g.O(0);
    return [g.op('Mul', [g.GO(0)!, g.op('Mul', [y, g.op('Sub', [g.scalar(1, y), y])])])];
  },
};
