import type { GradientRule } from '../../types.js';

/**
 * y[n,c] = max over space; dx = dy at the first maximum (row-major), 0 elsewhere: the routing of
 * PyTorch's adaptive_max_pool (and of MaxPool's Indices), not torch.amax's even split of ties.
 * Built from ArgMax (first index), Equal against a Range and Where: no scatter.
 */
export const GlobalMaxPool: GradientRule = {
  op: 'GlobalMaxPool',
  grad: (g) => {
    const [x, dy] = [g.I(0), g.GO(0)!];
    const spatial = g.shape(x).slice(2);
    const flat = g.op('Reshape', [x, g.ints([0, 0, -1])]);
    const first = g.op('ArgMax', [flat], { axis: 2, keepdims: 1, select_last_index: 0 });
    const size = spatial.every((d) => typeof d === 'number')
      ? g.ints([(spatial as number[]).reduce((a, b) => a * b, 1)], [])
      : g.op('Gather', [g.op('Shape', [flat]), g.ints([2], [])], { axis: 0 });
    const positions = g.op('Range', [g.ints([0], []), size, g.ints([1], [])]);
    const spread = g.op('Where', [g.op('Equal', [positions, first]), g.op('Reshape', [dy, g.ints([0, 0, 1])]), g.scalar(0, x)]);
    return [g.op('Reshape', [spread, g.shapeOf(x)])];
  },
};
