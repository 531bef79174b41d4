import type { GradientRule } from '../../types.js';
import { perChannel, range, standardize, standardizeVjp } from './common.js';

/**
 * Opset-21 semantics: x [N, C, ...] is split into num_groups groups of C / G channels, each
 * (n, group) standardised over its channels and spatial positions, then y = scale_c · x̂ + b_c
 * per channel. Working on x reshaped to [N, G, C/G · spatial] (Reshape [0, G, −1], dynamic
 * batch and spatial dims allowed), with statistics recomputed (see standardize):
 *   dx = reshape(r · (g − mean(g) − x̂ · mean(g · x̂))) with g = dy · scale,
 *   dscale = Σ dy · x̂,  dbias = Σ dy  over every axis but 1.
 * stash_type only sets the precision onnxruntime uses inside the forward; the backward
 * computes in x's type.
 */
export const GroupNormalization: GradientRule = {
  op: 'GroupNormalization',
  grad: (g) => {
    const [x, scale] = [g.I(0), g.I(1)];
    const dy = g.GO(0)!;
    const rank = g.rank(x);
    const groups = g.node.int('num_groups');
    const grouped = g.ints([0, groups, -1]);
    const xs = g.op('Reshape', [x, grouped]);
    const { xhat: groupedHat, rinv } = standardize(g, xs, 3, g.dtype(x), 2, g.node.float('epsilon', 1e-5), x);
    const needsHat = g.needs(1);
    const xhat = needsHat ? g.op('Reshape', [groupedHat, g.shapeOf(x)]) : '';
    const channelAxes = g.ints([0, ...range(2, rank)]);
    let dx: string | undefined;
    if (g.needs(0)) {
      const grad = g.op('Reshape', [g.op('Mul', [dy, perChannel(g, scale, rank)]), grouped]);
      dx = g.op('Reshape', [standardizeVjp(g, grad, groupedHat, rinv, g.ints([2])), g.shapeOf(x)]);
    }
    return [
      dx,
      needsHat ? g.op('ReduceSum', [g.op('Mul', [dy, xhat]), channelAxes], { keepdims: 0 }) : undefined,
      g.needs(2) ? g.op('ReduceSum', [dy, channelAxes], { keepdims: 0 }) : undefined,
    ];
  },
};
