import type { GradientRule } from '../../types.js';

/** y = a + b (broadcasting): each side gets dy summed back to its own shape. */
export const Add: GradientRule = {
  op: 'Add',
  grad: (g) => [
    g.needs(0) ? g.unbroadcast(g.GO(0)!, g.I(0)) : undefined,
    g.needs(1) ? g.unbroadcast(g.GO(0)!, g.I(1)) : undefined,
  ],
};
