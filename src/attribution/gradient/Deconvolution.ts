import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { GradientAttribution, type GradientOptions } from './base.js';
import { gradientCall } from './common.js';
import { DECONVOLUTION_RULES } from './rules/index.js';
import { checkInput, checkTarget } from '../util/checks.js';

export type DeconvolutionOptions = GradientOptions;

/**
 * Captum's Deconvolution (Zeiler & Fergus's deconvnet): the gradient with every Relu's backward
 * pass replaced by a Relu of the incoming gradient, whatever the forward input (rules/DeconvolutionRelu).
 */
export class Deconvolution extends GradientAttribution<DeconvolutionOptions> {
  constructor(explainable: Explainable) {
    super(explainable);
    this.gradientFn = async (x, call, extra) => (await explainable.vjp(x, { ...call, rules: DECONVOLUTION_RULES }, extra)).gradients;
  }

  async attribute(input: Tensor, options: DeconvolutionOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    return { attributions: await this.gradientFn(input, gradientCall(options), options.additionalForwardArgs ?? {}) };
  }
}
