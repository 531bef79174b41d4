/**
 * Modified backward rules of the gradient family, as rule sets for Explainable.vjp({ rules }):
 * DeepLift's rescale rules, guided backpropagation's and the deconvnet's Relu.
 */
import { GlassboxError } from '../../../util/errors.js';
import type { RuleSet } from '../../../autodiff/gradients.js';
import type { GradientRule } from '../../../autodiff/types.js';
import { DeconvolutionRelu } from './DeconvolutionRelu.js';
import { GuidedRelu } from './GuidedRelu.js';
import { rescaleMaxPool } from './RescaleMaxPool.js';
import { rescaleNonlinear } from './RescaleNonlinear.js';
import { rescaleSoftmax } from './RescaleSoftmax.js';

/**
 * The ops Captum's DeepLift gives rescale rules (its SUPPORTED_NON_LINEAR: ReLU, ELU, LeakyReLU,
 * Sigmoid, Tanh, Softplus, MaxPool1d/2d/3d, Softmax), as ONNX op types.
 */
export const DEEPLIFT_OPS: readonly string[] = ['Relu', 'Elu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Softplus', 'MaxPool', 'Softmax'];

/** Captum's DeepLift eps: below this |x − x′| the ordinary derivative is used. */
export const DEEPLIFT_EPS = 1e-10;

/**
 * DeepLift's rule set for the given ops. `batch` is the batch dim's symbol of the attributed
 * input, so that rules refuse tensors whose first axis is not the batch.
 */
export function deepLiftRules(ops: readonly string[] = DEEPLIFT_OPS, eps = DEEPLIFT_EPS, batch?: string): RuleSet {
  const rules = new Map<string, GradientRule>();
  for (const op of ops) {
    if (!DEEPLIFT_OPS.includes(op)) throw new GlassboxError('bad-option', `DeepLift has no rescale rule for ${op} (it has rules for ${DEEPLIFT_OPS.join(', ')})`);
    rules.set(op, op === 'MaxPool' ? rescaleMaxPool(eps, batch) : op === 'Softmax' ? rescaleSoftmax(eps, batch) : rescaleNonlinear(op, eps, batch));
  }
  return { name: `deeplift:${[...rules.keys()].sort().join(',')}:${eps}:${batch ?? ''}`, rules };
}

export const GUIDED_BACKPROP_RULES: RuleSet = { name: 'guided-backprop', rules: new Map([['Relu', GuidedRelu]]) };

export const DECONVOLUTION_RULES: RuleSet = { name: 'deconvolution', rules: new Map([['Relu', DeconvolutionRelu]]) };
