import type { GradientRule } from '../../types.js';
import { reshapeLike } from './util.js';

/**
 * y = Squeeze(x, axes?) is a reshape: dx = Reshape(dy, Shape(x)), which needs neither the axes
 * nor (when axes is omitted) the knowledge of which dims were 1.
 */
export const Squeeze: GradientRule = {
  op: 'Squeeze',
  nonDifferentiableInputs: [1],
  grad: (g) => [reshapeLike(g, g.GO(0)!, g.I(0))],
};
