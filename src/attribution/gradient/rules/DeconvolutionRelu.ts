import type { GradientRule } from '../../../autodiff/types.js';

/**
 * The deconvnet's Relu (Captum's Deconvolution: relu of the module's grad_output): the positive
 * part of the incoming gradient, whatever the forward input was.
 */
export const DeconvolutionRelu: GradientRule = {
  op: 'Relu',
  grad: (g) => [g.op('Relu', [g.GO(0)!])],
};
