import type { GradientRule } from '../../types.js';

/** y = x / (1 + |x|): dx = dy / (1 + |x|)² (smooth at 0, where it is dy). */
export const Softsign: GradientRule = {
  op: 'Softsign',
  grad: (g) => {
    const x = g.I(0);
    const d = g.op('Add', [g.op('Abs', [x]), g.scalar(1, x)]);
    return [g.op('Div', [g.GO(0)!, g.op('Mul', [d, d])])];
  },
};
