import type { GradientRule } from '../../types.js';

/** y = cond ? a : b (all three broadcast): da = dy where cond, db = dy elsewhere, each summed to its shape. */
export const Where: GradientRule = {
  op: 'Where',
  nonDifferentiableInputs: [0],
  grad: (g) => {
    const [cond, dy] = [g.I(0), g.GO(0)!];
    const zero = g.scalar(0, g.O(0));
    return [
      undefined,
      g.needs(1) ? g.unbroadcast(g.op('Where', [cond, dy, zero]), g.I(1)) : undefined,
      g.needs(2) ? g.unbroadcast(g.op('Where', [cond, zero, dy]), g.I(2)) : undefined,
    ];
  },
};
