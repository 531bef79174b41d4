import type { GradientRule } from '../../types.js';

/**
 * y = x if x > 0 else s·x, the slope s broadcasting to x. As in PyTorch, at x = 0 the input gets
 * s·dy and the slope gets 0: dx = dy if x > 0 else s·dy; ds = Σ (x > 0 ? 0 : x·dy) over the axes
 * s was broadcast along.
 */
export const PRelu: GradientRule = {
  op: 'PRelu',
  grad: (g) => {
    const [x, s, dy] = [g.I(0), g.I(1), g.GO(0)!];
    const zero = g.scalar(0, x);
    const positive = g.op('Greater', [x, zero]);
    return [
      g.needs(0) ? g.op('Where', [positive, dy, g.op('Mul', [dy, s])]) : undefined,
      g.needs(1) ? g.unbroadcast(g.op('Where', [positive, zero, g.op('Mul', [dy, x])]), s) : undefined,
    ];
  },
};
