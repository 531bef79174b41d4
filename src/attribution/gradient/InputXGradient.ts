import type { Tensor } from '../../tensor/tensor.js';
import type { AttributionResult } from '../types.js';
import { mul } from '../util/tensor-ops.js';
import { GradientAttribution, type GradientOptions } from './base.js';
import { gradientCall } from './common.js';
import { checkInput, checkTarget } from '../util/checks.js';

export type InputXGradientOptions = GradientOptions;

/** Captum's InputXGradient: x · ∂F/∂x, elementwise. */
export class InputXGradient extends GradientAttribution<InputXGradientOptions> {
  async attribute(input: Tensor, options: InputXGradientOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    const gradients = await this.gradientFn(input, gradientCall(options), options.additionalForwardArgs ?? {});
    return { attributions: mul(input, gradients) };
  }
}
