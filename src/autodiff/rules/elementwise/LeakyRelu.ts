import type { GradientRule } from '../../types.js';

/** y = x if x > 0 else α·x (α = 0.01): dx = dy if x > 0 else α·dy; at 0 the slope is α, as in PyTorch. */
export const LeakyRelu: GradientRule = {
  op: 'LeakyRelu',
  grad: (g) => {
    const x = g.I(0);
    const dy = g.GO(0)!;
    const alpha = g.node.float('alpha', 0.01);
    return [g.op('Where', [g.op('Greater', [x, g.scalar(0, x)]), dy, g.op('Mul', [dy, g.scalar(alpha, x)])])];
  },
};
