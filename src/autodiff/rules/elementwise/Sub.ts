import type { GradientRule } from '../../types.js';

/** y = a − b: da = dy, db = −dy, each summed back to its own shape (the negation after the sum, on the smaller tensor). */
export const Sub: GradientRule = {
  op: 'Sub',
  grad: (g) => [
    g.needs(0) ? g.unbroadcast(g.GO(0)!, g.I(0)) : undefined,
    g.needs(1) ? g.op('Neg', [g.unbroadcast(g.GO(0)!, g.I(1))]) : undefined,
  ],
};
