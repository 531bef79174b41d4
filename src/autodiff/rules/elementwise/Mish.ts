import type { GradientRule } from '../../types.js';

/**
 * y = x · tanh(softplus(x)): dx = dy · (t + x · σ(x) · (1 − t²)) with t = tanh(softplus(x)),
 * PyTorch's mish_backward.
 */
export const Mish: GradientRule = {
  op: 'Mish',
  grad: (g) => {
    const x = g.I(0);
    const t = g.op('Tanh', [g.op('Softplus', [x])]);
    const sech2 = g.op('Sub', [g.scalar(1, x), g.op('Mul', [t, t])]);
    const slope = g.op('Add', [t, g.op('Mul', [x, g.op('Mul', [g.op('Sigmoid', [x]), sech2])])]);
    return [g.op('Mul', [g.GO(0)!, slope])];
  },
};
