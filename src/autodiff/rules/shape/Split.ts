import type { GradientRule } from '../../types.js';
import { addInt, dimOf, normAxis, padAlong, zerosLike, type Int } from './util.js';

/**
 * [y_0, ..., y_{n-1}] = Split(x, split?, axis, num_outputs): dx = Concat(dy_0, ..., dy_{n-1})
 * along the axis, zeros standing in for outputs no gradient reaches. When only one output has a
 * gradient, dx = Pad(dy_k) with the sizes of the other outputs before and after it (static dims
 * or Shape(y_j)[axis]), which writes the zeros once and copies nothing else.
 */
export const Split: GradientRule = {
  op: 'Split',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const x = g.I(0);
    const axis = normAxis(g.node.int('axis', 0), g.rank(x));
    const n = g.node.outputs.length;
    const gos = Array.from({ length: n }, (_, i) => g.GO(i));
    const present = gos.flatMap((go, i) => (go ? [i] : []));
    if (n === 1) return [gos[0]];
    if (present.length === 1) {
      const k = present[0]!;
      let before: Int = 0;
      let after: Int = 0;
      for (let j = 0; j < n; j++) {
        if (j < k) before = addInt(g, before, dimOf(g, g.O(j), axis));
        if (j > k) after = addInt(g, after, dimOf(g, g.O(j), axis));
      }
      return [padAlong(g, gos[k]!, g.rank(x), [axis], [before], [after])];
    }
    const pieces = gos.map((go, i) => go ?? zerosLike(g, g.O(i)));
    return [g.op('Concat', pieces, { axis })];
  },
};
