import { GlassboxError } from '../../../util/errors.js';
import type { GradientRule } from '../../types.js';
import { zerosLike } from './util.js';

/**
 * y = ScatterND(data, indices, updates, reduction).
 *   'none': d data = ScatterND(dy, indices, zeros(updates)) (overwritten slices get 0);
 *           d updates = GatherND(dy, indices).
 *   'add':  d data = dy; d updates = GatherND(dy, indices).
 * Repeated index tuples under 'none': every duplicate receives dy at its slice (as torch's
 * index_put backward). Other reductions (mul, max, min) have no rule.
 */
export const ScatterND: GradientRule = {
  op: 'ScatterND',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [indices, updates, dy] = [g.I(1), g.I(2), g.GO(0)!];
    const reduction = g.node.string('reduction', 'none');
    if (reduction !== 'none' && reduction !== 'add') throw new GlassboxError('unsupported-op', `no gradient for ScatterND with reduction "${reduction}"`);
    const dData = g.needs(0) ? (reduction === 'add' ? dy : g.op('ScatterND', [dy, indices, zerosLike(g, updates)])) : undefined;
    const dUpdates = g.needs(2) ? g.op('GatherND', [dy, indices]) : undefined;
    return [dData, undefined, dUpdates];
  },
};
