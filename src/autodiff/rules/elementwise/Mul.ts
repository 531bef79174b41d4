import type { GradientRule } from '../../types.js';

/** y = a · b: da = dy · b, db = dy · a, each summed back to its own shape. */
export const Mul: GradientRule = {
  op: 'Mul',
  grad: (g) => [
    g.needs(0) ? g.unbroadcast(g.op('Mul', [g.GO(0)!, g.I(1)]), g.I(0)) : undefined,
    g.needs(1) ? g.unbroadcast(g.op('Mul', [g.GO(0)!, g.I(0)]), g.I(1)) : undefined,
  ],
};
