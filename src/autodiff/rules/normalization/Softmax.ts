import type { GradientRule } from '../../types.js';

/**
 * y = softmax(x) along one axis (opset-13 semantics, negative axis allowed), from the output:
 * dx = y · dy − y · Σ_axis(y · dy).
 */
export const Softmax: GradientRule = {
  op: 'Softmax',
  grad: (g) => {
    const y = g.O(0);
    const t = g.op('Mul', [y, g.GO(0)!]);
    const s = g.op('ReduceSum', [t, g.ints([g.node.int('axis', -1)])], { keepdims: 1 });
    return [g.op('Sub', [t, g.op('Mul', [y, s])])];
  },
};
