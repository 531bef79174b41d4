import { GlassboxError } from '../../../util/errors.js';
import type { GradientRule } from '../../types.js';

/**
 * Inference Dropout is the identity: dx = dy. `ratio` and `training_mode` get no gradient. A
 * `training_mode` input that normalisation could not prove constant false makes the dropout
 * random, which has no gradient graph here.
 */
export const Dropout: GradientRule = {
  op: 'Dropout',
  nonDifferentiableInputs: [1, 2],
  grad: (g) => {
    if (g.node.input(2) !== undefined) {
      throw new GlassboxError('unsupported-op', `${g.node.describe()} may run in training mode ("${g.node.input(2)}" is not a constant false), so it is random and cannot be differentiated; export the model in eval mode`);
    }
    return [g.GO(0)];
  },
};
