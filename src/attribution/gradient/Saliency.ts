import type { Tensor } from '../../tensor/tensor.js';
import type { AttributionResult } from '../types.js';
import { map } from '../util/tensor-ops.js';
import { GradientAttribution, type GradientOptions } from './base.js';
import { gradientCall } from './common.js';
import { checkInput, checkTarget } from '../util/checks.js';

export interface SaliencyOptions extends GradientOptions {
  /** Return |∂F/∂x| (Captum's default) rather than the signed gradient. */
  abs?: boolean;
}

/** Captum's Saliency: the gradient of the target output w.r.t. the input, by default its absolute value. */
export class Saliency extends GradientAttribution<SaliencyOptions> {
  async attribute(input: Tensor, options: SaliencyOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    const gradients = await this.gradientFn(input, gradientCall(options), options.additionalForwardArgs ?? {});
    return { attributions: (options.abs ?? true) ? map(gradients, Math.abs) : gradients };
  }
}

