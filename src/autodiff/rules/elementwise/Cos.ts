import type { GradientRule } from '../../types.js';

/** y = cos x: dx = −dy · sin x. */
export const Cos: GradientRule = {
  op: 'Cos',
  grad: (g) => [g.op('Neg', [g.op('Mul', [g.GO(0)!, g.op('Sin', [g.I(0)])])])],
};
