import type { GradientRule } from '../../types.js';

/**
 * y = x if x > 0 else α(eˣ − 1) (α = 1): dx = dy if x > 0 else dy · (y + α), which is α·eˣ
 * recovered from the forward output. At 0 the left branch applies (α·dy), as in PyTorch.
 */
export const Elu: GradientRule = {
  op: 'Elu',
  grad: (g) => {
    const [x, y] = [g.I(0), g.O(0)];
    const alpha = g.node.float('alpha', 1);
    const slope = g.op('Where', [g.op('Greater', [x, g.scalar(0, x)]), g.scalar(1, x), g.op('Add', [y, g.scalar(alpha, y)])]);
    return [g.op('Mul', [g.GO(0)!, slope])];
  },
};
