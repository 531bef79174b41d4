import type { GradientRule } from '../../types.js';

/** y = erf(x): dx = dy · 2/√π · exp(−x²). */
export const Erf: GradientRule = {
  op: 'Erf',
  grad: (g) => {
    const x = g.I(0);
    const gauss = g.op('Exp', [g.op('Neg', [g.op('Mul', [x, x])])]);
    return [g.op('Mul', [g.GO(0)!, g.op('Mul', [gauss, g.scalar(2 / Math.sqrt(Math.PI), x)])])];
  },
};
