import type { GradientRule } from '../../types.js';

/** dx = dy. */
export const Identity: GradientRule = {
  op: 'Identity',
  grad: (g) => [g.GO(0)],
};
