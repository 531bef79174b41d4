import type { GradientRule } from '../../types.js';

/** y = x if x > α else 0 (α = 1): dx = dy where x > α, else 0 (PyTorch threshold_backward: 0 at x = α). */
export const ThresholdedRelu: GradientRule = {
  op: 'ThresholdedRelu',
  grad: (g) => {
    const x = g.I(0);
    const alpha = g.node.float('alpha', 1);
    return [g.op('Where', [g.op('Greater', [x, g.scalar(alpha, x)]), g.GO(0)!, g.scalar(0, x)])];
  },
};
