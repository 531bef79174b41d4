import type { GradientRule } from '../../types.js';
import { perChannel, range, standardize, standardizeVjp } from './common.js';

/**
 * y = scale_c · x̂ + b_c, x̂ standardised over the spatial axes 2.. of each (n, c) (population
 * variance, ε inside the root). The statistics are recomputed (one fused LayerNormalization with
 * axis 2 in float32, see standardize), then
 *   dx = r · (g − mean(g) − x̂ · mean(g · x̂)) with g = dy · scale,
 *   dscale = Σ dy · x̂,  db = Σ dy  over every axis but 1.
 */
export const InstanceNormalization: GradientRule = {
  op: 'InstanceNormalization',
  grad: (g) => {
    const [x, scale] = [g.I(0), g.I(1)];
    const dy = g.GO(0)!;
    const rank = g.rank(x);
    const { xhat, rinv } = standardize(g, x, rank, g.dtype(x), 2, g.node.float('epsilon', 1e-5), x);
    const channelAxes = g.ints([0, ...range(2, rank)]);
    return [
      g.needs(0) ? standardizeVjp(g, g.op('Mul', [dy, perChannel(g, scale, rank)]), xhat, rinv, g.ints(range(2, rank))) : undefined,
      g.needs(1) ? g.op('ReduceSum', [g.op('Mul', [dy, xhat]), channelAxes], { keepdims: 0 }) : undefined,
      g.needs(2) ? g.op('ReduceSum', [dy, channelAxes], { keepdims: 0 }) : undefined,
    ];
  },
};
