import type { GradientRule } from '../../types.js';

/**
 * y = x · max(0, min(1, x/6 + 1/2)): dx = 0 for x < −3, dy · (x/3 + 1/2) for −3 ≤ x ≤ 3, dy for
 * x > 3. The closed interval is PyTorch's hardswish_backward convention (so −dy/2 at x = −3 and
 * 3dy/2 at x = 3, the one-sided derivatives from inside).
 */
export const HardSwish: GradientRule = {
  op: 'HardSwish',
  grad: (g) => {
    const x = g.I(0);
    const inner = g.op('Add', [g.op('Mul', [x, g.scalar(1 / 3, x)]), g.scalar(0.5, x)]);
    const upper = g.op('Where', [g.op('Greater', [x, g.scalar(3, x)]), g.scalar(1, x), inner]);
    const slope = g.op('Where', [g.op('Less', [x, g.scalar(-3, x)]), g.scalar(0, x), upper]);
    return [g.op('Mul', [g.GO(0)!, slope])];
  },
};
