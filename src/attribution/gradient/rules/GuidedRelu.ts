import { Relu } from '../../../autodiff/rules/elementwise/Relu.js';
import type { GradientRule } from '../../../autodiff/types.js';

/**
 * Guided backpropagation's Relu (Captum's GuidedBackprop: relu of the module's grad_input): the
 * gradient passes only where the input is positive and the incoming gradient is positive.
 */
export const GuidedRelu: GradientRule = {
  op: 'Relu',
  grad: (g) => [g.op('Relu', [Relu.grad(g)[0]])],
};
