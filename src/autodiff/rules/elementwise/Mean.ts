import type { GradientRule } from '../../types.js';

/** y = (x₀ + … + xₙ₋₁)/n (variadic, broadcasting): each input gets dy/n summed back to its own shape. */
export const Mean: GradientRule = {
  op: 'Mean',
  grad: (g) => {
    const n = g.node.inputs.length;
    const share = n === 1 ? g.GO(0)! : g.op('Mul', [g.GO(0)!, g.scalar(1 / n, g.O(0))]);
    return g.node.inputs.map((x, i) => (g.needs(i) ? g.unbroadcast(share, x) : undefined));
  },
};
