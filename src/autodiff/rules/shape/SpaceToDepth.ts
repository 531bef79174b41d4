import type { GradientRule } from '../../types.js';

/**
 * y = SpaceToDepth(x, blocksize b): y[n, (i·b + j)·C + c, h, w] = x[n, c, h·b + i, w·b + j], a
 * permutation whose inverse is DepthToSpace in DCR mode: dx = DepthToSpace(dy, b, 'DCR').
 */
export const SpaceToDepth: GradientRule = {
  op: 'SpaceToDepth',
  grad: (g) => [g.op('DepthToSpace', [g.GO(0)!], { blocksize: g.node.int('blocksize'), mode: 'DCR' })],
};
