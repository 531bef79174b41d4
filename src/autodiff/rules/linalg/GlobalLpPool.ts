import type { GradientRule } from '../../types.js';
import { lpFactor, lpNorm, lpWeight } from './LpPool.js';

/** y[n,c] = (Σ_space |x|^p)^(1/p); dx = sign(x)·|x|^(p−1) · dy / y^(p−1) (0 where y = 0). */
export const GlobalLpPool: GradientRule = {
  op: 'GlobalLpPool',
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const p = lpNorm(g);
    return [g.op('Mul', [lpFactor(g, x, p), lpWeight(g, dy, y, p)])];
  },
};
