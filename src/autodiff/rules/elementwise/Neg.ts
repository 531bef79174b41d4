import type { GradientRule } from '../../types.js';

/** y = −x: dx = −dy. */
export const Neg: GradientRule = {
  op: 'Neg',
  grad: (g) => [g.op('Neg', [g.GO(0)!])],
};
