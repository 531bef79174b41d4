import type { GradientRule } from '../../types.js';

/**
 * y = x − log Σ_axis exp(x) along one axis (opset-13 semantics), from the output:
 * dx = dy − exp(y) · Σ_axis dy.
 */
export const LogSoftmax: GradientRule = {
  op: 'LogSoftmax',
  grad: (g) => {
    const dy = g.GO(0)!;
    const s = g.op('ReduceSum', [dy, g.ints([g.node.int('axis', -1)])], { keepdims: 1 });
    return [g.op('Sub', [dy, g.op('Mul', [g.op('Exp', [g.O(0)]), s])])];
  },
};
