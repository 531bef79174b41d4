import type { GradientRule } from '../../types.js';

/**
 * y = ln(1 + eˣ): dx = dy · σ(x). ONNX Softplus has no β and no linear threshold, so this is the
 * exact derivative everywhere (PyTorch's default threshold 20 returns dy for x > 20, where σ(x)
 * differs from 1 by less than 2.1e-9).
 */
export const Softplus: GradientRule = {
  op: 'Softplus',
  grad: (g) => [g.op('Mul', [g.GO(0)!, g.op('Sigmoid', [g.I(0)])])],
};
