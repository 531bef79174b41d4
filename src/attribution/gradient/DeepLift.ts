import type { RuleSet } from '../../autodiff/gradients.js';
import { concatBatch, type Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult, Baselines } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { mul, sub } from '../util/tensor-ops.js';
import { GradientAttribution, type GradientFn, type GradientOptions } from './base.js';
import { convergenceDelta, expandFeeds, expandTarget, sliceFeeds } from './common.js';
import { deepLiftRules } from './rules/index.js';
import { checkInput, checkTarget } from '../util/checks.js';

export interface DeepLiftOptions extends GradientOptions {
  /** x′: 'zeros' (default), a number, or a tensor shaped like the input or like one row of it. */
  baselines?: Baselines;
  /** Also return Σ attributions − (F(x) − F(x′)) per row (summation-to-delta). */
  returnConvergenceDelta?: boolean;
}

export interface DeepLiftConfig {
  /** false: return the multipliers alone (Captum's multiply_by_inputs). */
  multiplyByInputs?: boolean;
  /**
   * ONNX ops that get rescale rules (default: every op Captum's DeepLift supports, rules/DEEPLIFT_OPS).
   * Captum hooks nn.Module activations only; to match it on a model whose PyTorch source calls
   * some of them functionally (F.softmax in attention, F.relu), leave those ops out.
   */
  rescaleOps?: readonly string[];
  /** Below this |x − x′| an op keeps its ordinary derivative (Captum's eps, 1e-10). */
  eps?: number;
}

/**
 * Captum's DeepLift with the rescale rule. Each run is one batch [input rows; their baseline
 * rows] (Captum's layout) differentiated with the rescale rules in place of the ordinary ones
 * (rules/): every supported nonlinearity passes dy · Δy/Δx between an input row and its
 * baseline row, to both halves; the target is seeded in both halves, as Captum does. The input
 * half's gradient is the multiplier; attributions are multiplier · (x − x′), and sum to
 * F(x) − F(x′) (the convergence delta measures the gap).
 *
 * Rows per run: internalBatchSize / 2 input rows with their baselines, or by default as many as
 * the memory budget allows (Captum runs all rows at once).
 */
export class DeepLift extends GradientAttribution<DeepLiftOptions> {
  readonly rules: RuleSet;

  constructor(explainable: Explainable, protected readonly config: DeepLiftConfig = {}) {
    super(explainable);
    const batch = explainable.inputShape[0];
    this.rules = deepLiftRules(config.rescaleOps, config.eps, typeof batch === 'string' ? batch : undefined);
    this.gradientFn = async (x, call, extra) => (await explainable.vjp(x, { ...call, rules: this.rules }, extra)).gradients;
  }

  async attribute(input: Tensor, options: DeepLiftOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    const baseline = expandBaseline(input, options.baselines);
    const perRun = options.internalBatchSize
      ? Math.max(1, Math.floor(options.internalBatchSize / 2))
      : Math.max(1, Math.floor((await this.explainable.rowsPerRun(input, { rules: this.rules }, options.additionalForwardArgs ?? {})) / 2));
    const multipliers = await pairedMultipliers(this.gradientFn, input, baseline, options, perRun);
    const attributions = (this.config.multiplyByInputs ?? true) ? mul(sub(input, baseline), multipliers) : multipliers;
    if (!options.returnConvergenceDelta) return { attributions };
    const delta = await convergenceDelta(this.explainable, attributions, baseline, input, options.target, options.additionalForwardArgs ?? {}, options.internalBatchSize);
    return { attributions, delta };
  }
}

/** The rescale-rule gradient at each input row, from runs of [input rows; their baseline rows]. */
async function pairedMultipliers(gradientFn: GradientFn, input: Tensor, baseline: Tensor, options: DeepLiftOptions, perRun: number): Promise<Tensor> {
  const rows = input.shape[0]!;
  const extra = options.additionalForwardArgs ?? {};
  const parts: Tensor[] = [];
  for (let start = 0; start < rows; start += perRun) {
    const end = Math.min(rows, start + perRun);
    const k = end - start;
    const pair = concatBatch([input.sliceBatch(start, end), baseline.sliceBatch(start, end)]);
    const target = Array.isArray(options.target) ? expandTarget((options.target as readonly number[]).slice(start, end), 2, 'tile') : options.target;
    const gradients = await gradientFn(pair, { target, batchSize: 2 * k }, expandFeeds(sliceFeeds(extra, rows, start, end), k, 2, 'tile'));
    parts.push(gradients.sliceBatch(0, k));
    options.onProgress?.(end, rows);
  }
  return concatBatch(parts);
}
