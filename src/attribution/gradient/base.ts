import type { Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { Explainable } from '../explainable.js';
import type { AttributeOptions, AttributionMethod, AttributionResult, Target } from '../types.js';

/** Options every gradient method takes besides its own (Captum's additional_forward_args, ...). */
export interface GradientOptions extends AttributeOptions {
  /** Other inputs the model reads (token ids for a padding mask): one row, or one per input row. */
  additionalForwardArgs?: Feeds;
}

/** One gradient evaluation: ∂F[target]/∂x for every row of `x`. */
export interface GradientCall {
  target: Target;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Captum's `gradient_func`: how a method gets gradients. Layer and neuron variants replace it
 * (the gradient w.r.t. a layer, of a neuron) and reuse the method's maths unchanged.
 */
export type GradientFn = (x: Tensor, call: GradientCall, extra: Feeds) => Promise<Tensor>;

/** Anything with Captum's `attribute` (what NoiseTunnel wraps). */
/** Captum's GradientAttribution: a model and a replaceable gradient function. */
export abstract class GradientAttribution<O extends GradientOptions> implements AttributionMethod<O> {
  gradientFn: GradientFn;

  constructor(readonly explainable: Explainable) {
    this.gradientFn = async (x, call, extra) => (await explainable.vjp(x, call, extra)).gradients;
  }

  abstract attribute(input: Tensor, options: O): Promise<AttributionResult>;
}
