import type { GradientRule } from '../../types.js';
import { prodOf, reshapeLike, vec, zeros, zerosLike } from './util.js';

/**
 * y = GatherND(x, indices, batch_dims = b): dx = ScatterND(zeros(x), indices, dy, 'add')
 * (repeated index tuples accumulate). ScatterND has no batch_dims, so for b > 0 the b leading
 * dims are merged into one (B = their product) and each index tuple gets its batch number
 * prepended: x → [B, ...], indices → [B, ..., 1 + q] with [β, idx...], dy → [B, ...].
 */
export const GatherND: GradientRule = {
  op: 'GatherND',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [x, indices, dy] = [g.I(0), g.I(1), g.GO(0)!];
    const b = g.node.int('batch_dims', 0);
    if (b === 0) return [g.op('ScatterND', [zerosLike(g, x), indices, dy], { reduction: 'add' })];
    const bsz = prodOf(g, x, 0, b);
    const flatB = typeof bsz === 'number' ? bsz : -1;
    const rest = (v: string, from: number): string => g.op('Shape', [v], { start: from });
    const x2 = vec(g, [bsz, rest(x, b)]);
    const ind2 = g.op('Reshape', [indices, vec(g, [flatB, rest(indices, b)])]);
    const dy2 = g.op('Reshape', [dy, vec(g, [flatB, rest(dy, b)])]);
    // Batch numbers β shaped like ind2 without its last dim, plus a trailing 1.
    const ri = g.rank(indices) - b + 1; // rank of ind2
    const lead = g.op('Shape', [ind2], { end: -1 });
    const scalarB = typeof bsz === 'number' ? g.ints([bsz], []) : g.op('Reshape', [bsz, g.ints([], [0])]);
    const beta = g.op('Range', [g.ints([0], []), scalarB, g.ints([1], [])]);
    const betaShaped = g.op('Reshape', [beta, g.ints([-1, ...new Array<number>(ri - 1).fill(1)])]);
    const betaFull = g.op('Expand', [betaShaped, g.op('Concat', [lead, g.ints([1])], { axis: 0 })]);
    const idx = g.op('Concat', [betaFull, ind2], { axis: -1 });
    const dx2 = g.op('ScatterND', [zeros(g, x2, g.dtype(x)), idx, dy2], { reduction: 'add' });
    return [reshapeLike(g, dx2, x)];
  },
};
