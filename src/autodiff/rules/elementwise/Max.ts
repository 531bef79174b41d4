import type { GradientRule } from '../../types.js';
import { extremumGrad } from './extremum.js';

/** y = max(x₀, x₁, …) elementwise with broadcasting: dy to the maximal inputs, ties split evenly (see extremum.ts). */
export const Max: GradientRule = {
  op: 'Max',
  grad: (g) => extremumGrad(g, 'max'),
};
