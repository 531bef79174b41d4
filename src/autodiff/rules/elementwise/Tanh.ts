import type { GradientRule } from '../../types.js';

/** dx = dy · (1 − y²), from the forward output. */
export const Tanh: GradientRule = {
  op: 'Tanh',
  grad: (g) => {
    const y = g.O(0);
    return [g.op('Mul', [g.GO(0)!, g.op('Sub', [g.scalar(1, y), g.op('Mul', [y, y])])])];
  },
};
