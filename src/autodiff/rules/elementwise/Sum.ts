import type { GradientRule } from '../../types.js';

/** y = x₀ + x₁ + … (variadic, broadcasting): each input gets dy summed back to its own shape. */
export const Sum: GradientRule = {
  op: 'Sum',
  grad: (g) => g.node.inputs.map((x, i) => (g.needs(i) ? g.unbroadcast(g.GO(0)!, x) : undefined)),
};
