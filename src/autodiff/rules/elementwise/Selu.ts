import type { GradientRule } from '../../types.js';

/**
 * y = γ·x if x > 0 else γ·α(eˣ − 1): dx = γ·dy if x > 0 else dy · (y + γα), i.e. γα·eˣ from the
 * forward output. At 0 the left branch applies (γα·dy), as in PyTorch (selu is elu with scale γ).
 */
export const Selu: GradientRule = {
  op: 'Selu',
  grad: (g) => {
    const [x, y] = [g.I(0), g.O(0)];
    const alpha = g.node.float('alpha', 1.67326319217681884765625);
    const gamma = g.node.float('gamma', 1.05070102214813232421875);
    const slope = g.op('Where', [g.op('Greater', [x, g.scalar(0, x)]), g.scalar(gamma, x), g.op('Add', [y, g.scalar(gamma * alpha, y)])]);
    return [g.op('Mul', [g.GO(0)!, slope])];
  },
};
