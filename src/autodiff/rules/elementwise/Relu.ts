import type { GradientRule } from '../../types.js';

/** dx = dy where x > 0, else 0 (the subgradient at 0 is 0, as in PyTorch). */
export const Relu: GradientRule = {
  op: 'Relu',
  grad: (g) => {
    const zero = g.scalar(0, g.I(0));
    return [g.op('Where', [g.op('Greater', [g.I(0), zero]), g.GO(0)!, zero])];
  },
};
