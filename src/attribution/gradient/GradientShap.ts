import { GlassboxError } from '../../util/errors.js';
import { Random } from '../../util/random.js';
import { formatShape } from '../../tensor/shape.js';
import { concatBatch, Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult, Baselines } from '../types.js';
import { baselineSet } from '../util/baselines.js';
import { add, mul, repeatEachRow, sub } from '../util/tensor-ops.js';
import { GradientAttribution, type GradientOptions } from './base.js';
import { combineSamples, convergenceDelta, expandFeeds, expandTarget, gradientCall } from './common.js';
import { checkInput, checkTarget } from '../util/checks.js';

/**
 * The random draws of one GradientShap call, for sample k of input row r at index r·nSamples + k
 * (Captum's order). A testing aid: pass Captum's own draws to compare numbers with it.
 */
export interface GradientShapDraws {
  /** Which baseline of the set each sample uses (Captum's np.random.choice). */
  baselineIndex: readonly number[];
  /** Each sample's point on the path from its baseline to its noisy input, in [0, 1]. */
  alpha: readonly number[];
  /** Noise added to each sample's input, [rows · nSamples, ...row] (default: none). */
  noise?: Tensor;
}

export interface GradientShapOptions extends GradientOptions {
  /** The set of baselines to draw from (a tensor [count, ...row], a list of rows, 'zeros' or a number). */
  baselines: Baselines;
  nSamples?: number;
  /** Standard deviation of the Gaussian noise added to the input (default 0). */
  stdevs?: number;
  seed?: number;
  /** Σ attributions − (F(noisy x) − F(baseline)) per sample: rows · nSamples values, as Captum gives them. */
  returnConvergenceDelta?: boolean;
  /** Given draws instead of random ones (see GradientShapDraws). */
  draws?: GradientShapDraws;
}

/**
 * Captum's GradientShap: NoiseTunnel(smoothgrad) over InputBaselineXGradient with baselines drawn
 * from the set, unrolled into one batched gradient run. For each input row, nSamples times: a
 * baseline b from the set, noise ε ~ N(0, stdevs²) and α ~ U[0, 1); the sample's attribution is
 * (x + ε − b) · ∇F(α(x + ε) + (1 − α)b); the row's attribution is their mean. In expectation
 * (stdevs 0) it sums to F(x) − E_b F(b): SHAP efficiency.
 */
export class GradientShap extends GradientAttribution<GradientShapOptions> {
  constructor(explainable: Explainable, private readonly config: { multiplyByInputs?: boolean } = {}) {
    super(explainable);
  }

  async attribute(input: Tensor, options: GradientShapOptions): Promise<AttributionResult> {
    checkInput(input);
    const rows = input.shape[0]!;
    checkTarget(options.target, rows);
    const n = options.nSamples ?? 5;
    if (!Number.isInteger(n) || n < 1) throw new GlassboxError('bad-option', `nSamples must be a positive integer, got ${n}`);
    const set = baselineSet(input, options.baselines);
    if (set.shape[0] === 0) throw new GlassboxError('bad-baseline', 'GradientShap needs at least one baseline to draw from');
    const draws = options.draws ?? drawSamples(input, set.shape[0]!, n, options.stdevs ?? 0, options.seed ?? 0);
    checkDraws(draws, input, set.shape[0]!, n);

    const noisy = draws.noise ? add(repeatEachRow(input, n), draws.noise) : repeatEachRow(input, n);
    const baselines = concatBatch(draws.baselineIndex.map((i) => set.sliceBatch(i, i + 1)));
    const points = scaleInputs(noisy, baselines, draws.alpha);
    const target = expandTarget(options.target, n, 'interleave');
    const extra = expandFeeds(options.additionalForwardArgs ?? {}, rows, n, 'interleave');
    const gradients = await this.gradientFn(points, gradientCall(options, target), extra);
    const samples = (this.config.multiplyByInputs ?? true) ? mul(sub(noisy, baselines), gradients) : gradients;
    const attributions = combineSamples(samples, rows, n, 'smoothgrad');
    if (!options.returnConvergenceDelta) return { attributions };
    return { attributions, delta: await convergenceDelta(this.explainable, samples, baselines, noisy, target, extra, options.internalBatchSize) };
  }
}

/** Draws in Captum's order: baseline indices, then noise (only when stdevs > 0), then α. */
function drawSamples(input: Tensor, count: number, n: number, stdevs: number, seed: number): GradientShapDraws {
  if (!(stdevs >= 0)) throw new GlassboxError('bad-option', `stdevs must be a non-negative number, got ${stdevs}`);
  const random = new Random(seed);
  const samples = input.shape[0]! * n;
  const baselineIndex = Array.from({ length: samples }, () => random.int(count));
  const noise = stdevs > 0 ? Tensor.float32([samples, ...input.shape.slice(1)], random.fill(new Float32Array((input.size / input.shape[0]!) * samples), () => stdevs * random.normal())) : undefined;
  const alpha = Array.from({ length: samples }, () => random.next());
  return noise ? { baselineIndex, alpha, noise } : { baselineIndex, alpha };
}

function checkDraws(draws: GradientShapDraws, input: Tensor, count: number, n: number): void {
  const samples = input.shape[0]! * n;
  if (draws.baselineIndex.length !== samples || draws.alpha.length !== samples) {
    throw new GlassboxError('bad-option', `draws must give ${samples} baseline indices and alphas (rows × nSamples), got ${draws.baselineIndex.length} and ${draws.alpha.length}`);
  }
  const bad = draws.baselineIndex.find((i) => !Number.isInteger(i) || i < 0 || i >= count);
  if (bad !== undefined) throw new GlassboxError('bad-option', `baseline index ${bad} is out of range (the set has ${count} baselines)`);
  const want = [samples, ...input.shape.slice(1)];
  if (draws.noise && draws.noise.shape.join() !== want.join()) throw new GlassboxError('bad-option', `the given noise has shape ${formatShape(draws.noise.shape)}, expected ${formatShape(want)}`);
}

/** Captum's _scale_input: α·x + (1 − α)·b, with one α per row. */
function scaleInputs(x: Tensor, b: Tensor, alpha: readonly number[]): Tensor {
  const perRow = x.size / x.shape[0]!;
  const [xs, bs] = [x.data as Float32Array, b.data as Float32Array];
  const out = new Float32Array(x.size);
  for (let i = 0; i < out.length; i++) {
    const a = Math.fround(alpha[Math.floor(i / perRow)]!);
    out[i] = Math.fround(a * xs[i]!) + Math.fround(Math.fround(1 - a) * bs[i]!);
  }
  return new Tensor('float32', x.shape, out);
}
