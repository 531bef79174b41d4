import type { GradientRule } from '../../types.js';
import { reshapeLike } from './util.js';

/** y = Unsqueeze(x, axes) is a reshape: dx = Reshape(dy, Shape(x)). */
export const Unsqueeze: GradientRule = {
  op: 'Unsqueeze',
  nonDifferentiableInputs: [1],
  grad: (g) => [reshapeLike(g, g.GO(0)!, g.I(0))],
};
