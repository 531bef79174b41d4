import type { GradientRule } from '../../types.js';

/**
 * y = cumulative sum of x along `axis` (input 1, a 0-D int tensor, negative allowed), optionally
 * exclusive and/or reversed. The transpose of a running sum is the running sum in the other
 * direction with the same exclusivity: dx = CumSum(dy, axis, exclusive, reverse = !reverse).
 */
export const CumSum: GradientRule = {
  op: 'CumSum',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const exclusive = g.node.int('exclusive', 0);
    const reverse = g.node.int('reverse', 0) === 1 ? 0 : 1;
    return [g.op('CumSum', [g.GO(0)!, g.I(1)], { exclusive, reverse })];
  },
};
