import type { GradientRule } from '../../types.js';

/**
 * y = max(0, min(1, α·x + β)) (α = 0.2, β = 0.5): dx = α·dy strictly inside 0 < α·x + β < 1 and 0
 * elsewhere, boundaries included, as PyTorch's hardsigmoid_backward (−3 < x < 3 for α = 1/6).
 * The test reads the forward output: 0 < y < 1 is exactly the branch the forward took.
 */
export const HardSigmoid: GradientRule = {
  op: 'HardSigmoid',
  grad: (g) => {
    const y = g.O(0);
    const alpha = g.node.float('alpha', 0.2);
    const inside = g.op('And', [g.op('Greater', [y, g.scalar(0, y)]), g.op('Less', [y, g.scalar(1, y)])]);
    return [g.op('Where', [inside, g.op('Mul', [g.GO(0)!, g.scalar(alpha, y)]), g.scalar(0, y)])];
  },
};
