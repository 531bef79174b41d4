import type { GradientRule } from '../../types.js';
import { extremumGrad } from './extremum.js';

/** y = min(x₀, x₁, …) elementwise with broadcasting: dy to the minimal inputs, ties split evenly (see extremum.ts). */
export const Min: GradientRule = {
  op: 'Min',
  grad: (g) => extremumGrad(g, 'min'),
};
