import type { GradientRule } from '../../types.js';

/** y = ln x: dx = dy / x. */
export const Log: GradientRule = {
  op: 'Log',
  grad: (g) => [g.op('Div', [g.GO(0)!, g.I(0)])],
};
