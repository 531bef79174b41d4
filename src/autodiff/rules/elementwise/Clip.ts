import type { GradientRule } from '../../types.js';

/**
 * y = min(max(x, lo), hi), lo and hi optional scalar inputs (max wins when lo > hi, as in
 * onnxruntime and torch.clamp). PyTorch's clamp_backward / clamp_backward_min_max:
 * - dx = dy where lo ≤ x ≤ hi, boundaries included (PyTorch returns the subgradient 1 there),
 *   0 elsewhere and everywhere when lo > hi;
 * - dlo = Σ dy where x < lo (and lo < hi when hi is given);
 * - dhi = Σ dy where x > hi (or everywhere when hi < lo, lo given).
 * For dx, lo ≤ x ≤ hi is tested as y = x, one comparison instead of two.
 */
export const Clip: GradientRule = {
  op: 'Clip',
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const lo = g.node.input(1);
    const hi = g.node.input(2);
    const zero = g.scalar(0, x);
    // Constant bounds (the usual ReLU6 / hardtanh) need no run-time check of lo ≤ hi.
    const [loValue, hiValue] = [lo && g.constantValue(lo), hi && g.constantValue(hi)];
    const ordered = loValue && hiValue && loValue.size === 1 && hiValue.size === 1 ? loValue.toNumbers()[0]! <= hiValue.toNumbers()[0]! : undefined;
    let dx: string | undefined;
    if (g.needs(0)) {
      const unclipped = g.op('Equal', [x, y]);
      const pass = lo && hi && ordered !== true ? g.op('And', [unclipped, g.op('LessOrEqual', [lo, hi])]) : unclipped;
      dx = lo || hi ? g.op('Where', [pass, dy, zero]) : dy;
    }
    let dlo: string | undefined;
    if (lo && g.needs(1)) {
      const below = g.op('Less', [x, lo]);
      const pass = hi ? g.op('And', [below, g.op('Less', [lo, hi])]) : below;
      dlo = g.unbroadcast(g.op('Where', [pass, dy, zero]), lo);
    }
    let dhi: string | undefined;
    if (hi && g.needs(2)) {
      const above = g.op('Greater', [x, hi]);
      const pass = lo ? g.op('Or', [above, g.op('Less', [hi, lo])]) : above;
      dhi = g.unbroadcast(g.op('Where', [pass, dy, zero]), hi);
    }
    return [dx, dlo, dhi];
  },
};
