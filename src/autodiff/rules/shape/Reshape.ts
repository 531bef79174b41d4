import type { GradientRule } from '../../types.js';
import { reshapeLike } from './util.js';

/** y = Reshape(x, shape): dx = Reshape(dy, Shape(x)) (allowzero=1: Shape(x) is a real shape). */
export const Reshape: GradientRule = {
  op: 'Reshape',
  nonDifferentiableInputs: [1],
  grad: (g) => [reshapeLike(g, g.GO(0)!, g.I(0))],
};
