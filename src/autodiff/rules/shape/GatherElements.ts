import type { GradientRule } from '../../types.js';
import { normAxis, zerosLike } from './util.js';

/**
 * y = GatherElements(x, indices, axis): y[i] = x[i with i_axis replaced by indices[i]].
 * dx = ScatterElements(zeros(x), indices, dy, axis, reduction='add'): repeated indices
 * accumulate, negative ones count from the end (torch.gather's backward, scatter_add).
 */
export const GatherElements: GradientRule = {
  op: 'GatherElements',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [x, indices, dy] = [g.I(0), g.I(1), g.GO(0)!];
    const axis = normAxis(g.node.int('axis', 0), g.rank(x));
    return [g.op('ScatterElements', [zerosLike(g, x), indices, dy], { axis, reduction: 'add' })];
  },
};
