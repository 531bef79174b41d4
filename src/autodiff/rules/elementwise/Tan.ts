import type { GradientRule } from '../../types.js';

/** y = tan x: dx = dy · (1 + y²), from the forward output (PyTorch: grad · (1 + result²)). */
export const Tan: GradientRule = {
  op: 'Tan',
  grad: (g) => {
    const y = g.O(0);
    return [g.op('Mul', [g.GO(0)!, g.op('Add', [g.op('Mul', [y, y]), g.scalar(1, y)])])];
  },
};
