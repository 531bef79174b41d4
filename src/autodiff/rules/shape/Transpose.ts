import type { GradientRule } from '../../types.js';

/** y = Transpose(x, perm) (default: reversed axes): dx = Transpose(dy, perm⁻¹). */
export const Transpose: GradientRule = {
  op: 'Transpose',
  grad: (g) => {
    const rank = g.rank(g.I(0));
    const perm = g.node.ints('perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    if (inverse.every((p, i) => p === i)) return [g.GO(0)!];
    return [g.op('Transpose', [g.GO(0)!], { perm: inverse })];
  },
};
