import { GlassboxError } from '../../../util/errors.js';
import type { GradientRule } from '../../types.js';
import { normAxis, zerosLike } from './util.js';

/**
 * y = ScatterElements(data, indices, updates, axis, reduction).
 *   'none': y = data with the indexed positions overwritten by updates.
 *           d data = ScatterElements(dy, indices, zeros(updates)) (overwritten positions get 0);
 *           d updates = GatherElements(dy, indices).
 *   'add':  d data = dy; d updates = GatherElements(dy, indices).
 * With repeated indices under 'none' the forward keeps one of the writes; like torch.scatter's
 * backward, every duplicate still receives dy at its position. Other reductions (mul, max, min)
 * have no rule.
 */
export const ScatterElements: GradientRule = {
  op: 'ScatterElements',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [data, indices, updates, dy] = [g.I(0), g.I(1), g.I(2), g.GO(0)!];
    const reduction = g.node.string('reduction', 'none');
    if (reduction !== 'none' && reduction !== 'add') throw new GlassboxError('unsupported-op', `no gradient for ScatterElements with reduction "${reduction}"`);
    const axis = normAxis(g.node.int('axis', 0), g.rank(data));
    const dData = g.needs(0) ? (reduction === 'add' ? dy : g.op('ScatterElements', [dy, indices, zerosLike(g, updates)], { axis })) : undefined;
    const dUpdates = g.needs(2) ? g.op('GatherElements', [dy, indices], { axis }) : undefined;
    return [dData, undefined, dUpdates];
  },
};
