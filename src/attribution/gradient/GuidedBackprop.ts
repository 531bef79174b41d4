import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { GradientAttribution, type GradientOptions } from './base.js';
import { gradientCall } from './common.js';
import { GUIDED_BACKPROP_RULES } from './rules/index.js';
import { checkInput, checkTarget } from '../util/checks.js';

export type GuidedBackpropOptions = GradientOptions;

/**
 * Captum's GuidedBackprop: the gradient with every Relu's backward pass replaced by the guided
 * one (rules/GuidedRelu: only positive gradients through positive inputs).
 */
export class GuidedBackprop extends GradientAttribution<GuidedBackpropOptions> {
  constructor(explainable: Explainable) {
    super(explainable);
    this.gradientFn = async (x, call, extra) => (await explainable.vjp(x, { ...call, rules: GUIDED_BACKPROP_RULES }, extra)).gradients;
  }

  async attribute(input: Tensor, options: GuidedBackpropOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    return { attributions: await this.gradientFn(input, gradientCall(options), options.additionalForwardArgs ?? {}) };
  }
}
