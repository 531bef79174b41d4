import type { GradientRule } from '../../types.js';
import { addInt, dimOf, intTensor, normAxis, vec, type Int } from './util.js';

/**
 * y = Concat(x_0, ..., x_{n-1}, axis): dx_i is the i-th block of dy along the axis. Block sizes
 * are static dims or Shape(x_i)[axis] at run time. When every input wants a gradient, one Split
 * cuts dy; otherwise each wanted block is a Slice (nothing is copied for unwanted inputs).
 */
export const Concat: GradientRule = {
  op: 'Concat',
  grad: (g) => {
    const n = g.node.inputs.length;
    const rank = g.rank(g.I(0));
    const axis = normAxis(g.node.int('axis'), rank);
    const dy = g.GO(0)!;
    const wanted = Array.from({ length: n }, (_, i) => g.needs(i));
    if (n === 1) return [dy];
    const sizes: Int[] = Array.from({ length: n }, (_, i) => dimOf(g, g.I(i), axis));
    if (wanted.every(Boolean)) {
      return g.ops('Split', [dy, vec(g, sizes)], { axis }, n);
    }
    const grads: (string | undefined)[] = [];
    let offset: Int = 0;
    for (let i = 0; i < n; i++) {
      const end = addInt(g, offset, sizes[i]!);
      if (wanted[i]) grads.push(g.op('Slice', [dy, intTensor(g, offset), intTensor(g, end), g.ints([axis])]));
      else grads.push(undefined);
      offset = end;
    }
    return grads;
  },
};
