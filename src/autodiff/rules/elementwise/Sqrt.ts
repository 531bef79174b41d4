import type { GradientRule } from '../../types.js';

/** y = √x: dx = dy / (2y), from the forward output (PyTorch: grad / (2 · result); ±inf or NaN at 0). */
export const Sqrt: GradientRule = {
  op: 'Sqrt',
  grad: (g) => {
    const y = g.O(0);
    return [g.op('Div', [g.GO(0)!, g.op('Mul', [y, g.scalar(2, y)])])];
  },
};
