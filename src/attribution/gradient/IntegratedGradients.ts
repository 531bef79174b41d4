import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult, Baselines } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { quadrature, type IntegrationMethod } from '../util/quadrature.js';
import { add, interpolate, mul, sub, weightedSum } from '../util/tensor-ops.js';
import { GradientAttribution, type GradientFn, type GradientOptions } from './base.js';
import { convergenceDelta, expandFeeds, expandTarget, gradientCall, progressPart } from './common.js';
import { checkInput, checkTarget } from '../util/checks.js';

export interface IntegratedGradientsOptions extends GradientOptions {
  /** x′: 'zeros' (default), a number, or a tensor shaped like the input or like one row of it. */
  baselines?: Baselines;
  nSteps?: number;
  method?: IntegrationMethod;
  /** Also return Σ attributions − (F(x) − F(x′)) per row. */
  returnConvergenceDelta?: boolean;
}

/**
 * Interpolated inputs are built this many values at a time at most (16 MiB of float32): steps
 * go in blocks, each chunked again by the Explainable under its memory budget, so IG-200 on a
 * large batch never holds all nSteps × rows inputs (and their gradients) at once. A 512-token
 * embedding row (16k values) still takes all 200 steps in one block.
 */
const BLOCK_VALUES = 1 << 22;

/**
 * Captum's IntegratedGradients: (x − x′) · Σ_k w_k ∇F(x′ + α_k(x − x′)), with Captum's
 * quadrature points and weights (util/quadrature), and the convergence delta on request.
 * `multiplyByInputs: false` returns the integrated gradient alone (Captum's local variant).
 */
export class IntegratedGradients extends GradientAttribution<IntegratedGradientsOptions> {
  constructor(explainable: Explainable, private readonly config: { multiplyByInputs?: boolean } = {}) {
    super(explainable);
  }

  async attribute(input: Tensor, options: IntegratedGradientsOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    const baseline = expandBaseline(input, options.baselines);
    const { alphas, weights } = quadrature(options.method ?? 'gausslegendre', options.nSteps ?? 50);
    const integral = await pathIntegral(this.gradientFn, input, baseline, alphas, weights, options);
    const attributions = (this.config.multiplyByInputs ?? true) ? mul(integral, sub(input, baseline)) : integral;
    if (!options.returnConvergenceDelta) return { attributions };
    const delta = await convergenceDelta(this.explainable, attributions, baseline, input, options.target, options.additionalForwardArgs ?? {}, options.internalBatchSize);
    return { attributions, delta };
  }
}

/**
 * Σ_k w_k ∇F(x′ + α_k(x − x′)) per input row. The points are laid out as Captum lays them
 * (step-major: all rows at α₀, then all rows at α₁, …), targets and extra feeds tiled to match.
 */
export async function pathIntegral(
  gradientFn: GradientFn,
  input: Tensor,
  baseline: Tensor,
  alphas: readonly number[],
  weights: readonly number[],
  options: GradientOptions,
): Promise<Tensor> {
  const rows = input.shape[0]!;
  const extra = options.additionalForwardArgs ?? {};
  const stepsPerBlock = Math.max(1, Math.floor(BLOCK_VALUES / input.size));
  let sum: Tensor | undefined;
  for (let start = 0; start < alphas.length; start += stepsPerBlock) {
    const end = Math.min(alphas.length, start + stepsPerBlock);
    const steps = end - start;
    const points = interpolate(baseline, input, alphas.slice(start, end));
    const gradients = await gradientFn(
      points,
      { ...gradientCall(options, expandTarget(options.target, steps, 'tile')), onProgress: progressPart(options.onProgress, start * rows, alphas.length * rows) },
      expandFeeds(extra, rows, steps, 'tile'),
    );
    const part = weightedSum(gradients, weights.slice(start, end), input.shape);
    sum = sum ? add(sum, part) : part;
  }
  return sum!;
}
