import type { GradientRule } from '../../types.js';

/** y = a / b: da = dy / b, db = −dy · y / b (reusing the forward output). */
export const Div: GradientRule = {
  op: 'Div',
  grad: (g) => [
    g.needs(0) ? g.unbroadcast(g.op('Div', [g.GO(0)!, g.I(1)]), g.I(0)) : undefined,
    g.needs(1) ? g.unbroadcast(g.op('Neg', [g.op('Mul', [g.GO(0)!, g.op('Div', [g.O(0), g.I(1)])])]), g.I(1)) : undefined,
  ],
};
