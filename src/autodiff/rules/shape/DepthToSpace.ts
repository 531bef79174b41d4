import type { GradientRule } from '../../types.js';
import { dimOf, reshapeLike, vec } from './util.js';

/**
 * y = DepthToSpace(x, blocksize b, mode) on NCHW; a permutation of elements, so dx is its
 * inverse applied to dy.
 *   DCR: x[n, (i·b + j)·C' + c, h, w] → y[n, c, h·b + i, w·b + j]; its inverse is
 *        SpaceToDepth(dy, b).
 *   CRD: x[n, c·b² + i·b + j, h, w] → y[n, c, h·b + i, w·b + j]; the inverse reshapes dy to
 *        [N, C', H, b, W, b], transposes to [N, C', b, b, H, W] and reshapes to x's shape.
 */
export const DepthToSpace: GradientRule = {
  op: 'DepthToSpace',
  grad: (g) => {
    const [x, dy] = [g.I(0), g.GO(0)!];
    const b = g.node.int('blocksize');
    if (g.node.string('mode', 'DCR') !== 'CRD') return [g.op('SpaceToDepth', [dy], { blocksize: b })];
    const six = g.op('Reshape', [dy, vec(g, [0, 0, -1, b, dimOf(g, x, 3), b])]);
    return [reshapeLike(g, g.op('Transpose', [six], { perm: [0, 1, 3, 5, 2, 4] }), x)];
  },
};
