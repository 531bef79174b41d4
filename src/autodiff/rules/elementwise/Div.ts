import type { GradientRule } from '../../types.js';

/**
 * y = a / b (broadcasting): da = dy / b, db = −dy · y / b = −(dy / b) · y, reusing the forward
 * output and, when both are wanted, the one dy / b. The negation is applied after summing back to
 * b's shape, where b is the smaller operand (a bias, a norm).
 */
export const Div: GradientRule = {
  op: 'Div',
  grad: (g) => {
    const [a, b, y] = [g.I(0), g.I(1), g.O(0)];
    const scaled = g.op('Div', [g.GO(0)!, b]);
    return [
      g.needs(0) ? g.unbroadcast(scaled, a) : undefined,
      g.needs(1) ? g.op('Neg', [g.unbroadcast(g.op('Mul', [scaled, y]), b)]) : undefined,
    ];
  },
};
