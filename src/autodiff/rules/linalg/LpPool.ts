import type { GradContext, GradientRule } from '../../types.js';
import { scatterPool, unsupported, poolAxes } from './window.js';

/**
 * y[o] = (Σ_{taps in x} |x|^p)^(1/p) (padding contributes nothing), integer p ≥ 1 (default 2).
 * dx = sign(x)·|x|^(p−1) · scatter(dy / y^(p−1)). Where y = 0 (an all-zero window) the gradient
 * is 0, as PyTorch's lp_pool gives (its relu cuts the infinite slope of the root); sign(0) = 0.
 */
export const LpPool: GradientRule = {
  op: 'LpPool',
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const p = lpNorm(g);
    const axes = poolAxes(g, x);
    return [g.op('Mul', [lpFactor(g, x, p), scatterPool(g, lpWeight(g, dy, y, p), x, axes)])];
  },
};

export function lpNorm(g: GradContext): number {
  const p = g.node.int('p', 2);
  if (p < 1) throw unsupported(g, `p = ${p} (only p ≥ 1 is differentiated)`);
  return p;
}

/** sign(x)·|x|^(p−1), the derivative of |x|^p / p. */
export function lpFactor(g: GradContext, x: string, p: number): string {
  if (p === 1) return g.op('Sign', [x]);
  if (p === 2) return x;
  if (p === 3) return g.op('Mul', [x, g.op('Abs', [x])]);
  return g.op('Mul', [g.op('Sign', [x]), g.op('Pow', [g.op('Abs', [x]), g.scalar(p - 1, x)])]);
}

/** dy / y^(p−1), with 1 in place of y^(p−1) where y = 0 (the factor above is 0 there). */
export function lpWeight(g: GradContext, dy: string, y: string, p: number): string {
  if (p === 1) return dy;
  const power = p === 2 ? y : g.op('Pow', [y, g.scalar(p - 1, y)]);
  const safe = g.op('Where', [g.op('Equal', [y, g.scalar(0, y)]), g.scalar(1, y), power]);
  return g.op('Div', [dy, safe]);
}
