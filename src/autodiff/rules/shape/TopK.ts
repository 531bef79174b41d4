import type { GradientRule } from '../../types.js';
import { normAxis, zerosLike } from './util.js';

/**
 * (values, indices) = TopK(x, k, axis): values are x gathered at indices along the axis.
 * dx = ScatterElements(zeros(x), indices, dvalues, axis): each selected element gets its
 * gradient, the rest zero (torch.topk's backward). The indices output carries no gradient.
 */
export const TopK: GradientRule = {
  op: 'TopK',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const dvalues = g.GO(0);
    if (!dvalues) return [undefined];
    const x = g.I(0);
    const axis = normAxis(g.node.int('axis', -1), g.rank(x));
    return [g.op('ScatterElements', [zerosLike(g, x), g.O(1), dvalues], { axis, reduction: 'add' })];
  },
};
