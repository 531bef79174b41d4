import type { GradientRule } from '../../types.js';
import { asInt64, isStatic, normAxis, prodOf, reshapeLike, vec, zeros, zerosLike } from './util.js';

/**
 * y = Gather(x, indices, axis): y[p, i..., r] = x[p, indices[i...], r] with p the axes before
 * `axis` and r those after. dx scatter-adds dy back (repeated indices accumulate; negative
 * indices count from the end, which ScatterND accepts as they are):
 *   axis 0:  dx = ScatterND(zeros(x), indices[..., None], dy, reduction='add');
 *   axis > 0: with x viewed as [P, D, R] and dy as [P, M, R] (M = number of indices),
 *            dx = ScatterND(zeros[P, D, R], idx, dy, 'add') with idx[p, m] = (p, indices[m]),
 *            an int64 tensor of P·M·2 entries: no Transpose and no index tensor the size of dy.
 * Indices may have any rank (a scalar index drops the axis). Like torch's index_select /
 * embedding backward (without padding_idx or scale_grad_by_freq).
 */
export const Gather: GradientRule = {
  op: 'Gather',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [x, indices, dy] = [g.I(0), g.I(1), g.GO(0)!];
    const rank = g.rank(x);
    const axis = normAxis(g.node.int('axis', 0), rank);
    const ind = asInt64(g, indices);
    if (axis === 0) {
      return [g.op('ScatterND', [zerosLike(g, x), g.op('Unsqueeze', [ind, g.ints([-1])]), dy], { reduction: 'add' })];
    }
    const xs = g.shape(x);
    const m = prodOf(g, indices, 0);
    const r = prodOf(g, x, axis + 1);
    const d = isStatic(xs[axis]) ? xs[axis] : g.op('Shape', [x], { start: axis, end: axis + 1 });
    const p = prodOf(g, x, 0, axis);
    const dy3 = g.op('Reshape', [dy, vec(g, [typeof p === 'number' ? p : -1, m, r])]);
    const pmOne = vec(g, [p, m, 1]);
    const scalarP = typeof p === 'number' ? g.ints([p], []) : g.op('Reshape', [p, g.ints([], [0])]);
    const rows = g.op('Range', [g.ints([0], []), scalarP, g.ints([1], [])]);
    const pIdx = g.op('Expand', [g.op('Reshape', [rows, g.ints([-1, 1, 1])]), pmOne]);
    const mIdx = g.op('Expand', [g.op('Reshape', [ind, g.ints([1, -1, 1])]), pmOne]);
    const idx = g.op('Concat', [pIdx, mIdx], { axis: 2 });
    const dx3 = g.op('ScatterND', [zeros(g, vec(g, [p, d, r]), g.dtype(x)), idx, dy3], { reduction: 'add' });
    return [reshapeLike(g, dx3, x)];
  },
};
