import type { GradientRule } from '../../types.js';
import { reshapeLike } from './util.js';

/** y = Flatten(x, axis) is a reshape: dx = Reshape(dy, Shape(x)). */
export const Flatten: GradientRule = {
  op: 'Flatten',
  grad: (g) => [reshapeLike(g, g.GO(0)!, g.I(0))],
};
