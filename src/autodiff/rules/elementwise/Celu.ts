import type { GradientRule } from '../../types.js';

/**
 * y = max(0, x) + min(0, α(e^{x/α} − 1)) (α = 1): dx = dy if x > 0 else dy · e^{x/α}, recovered
 * from the forward output as y/α + 1. At 0 the left branch applies (dy · 1), as in PyTorch.
 */
export const Celu: GradientRule = {
  op: 'Celu',
  grad: (g) => {
    const [x, y] = [g.I(0), g.O(0)];
    const alpha = g.node.float('alpha', 1);
    const scaled = alpha === 1 ? y : g.op('Mul', [y, g.scalar(1 / alpha, y)]);
    const one = g.scalar(1, x);
    const slope = g.op('Where', [g.op('Greater', [x, g.scalar(0, x)]), one, g.op('Add', [scaled, one])]);
    return [g.op('Mul', [g.GO(0)!, slope])];
  },
};
