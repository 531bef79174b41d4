import { GlassboxError } from '../../util/errors.js';
import { formatShape } from '../../tensor/shape.js';
import { Random } from '../../util/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { featureMask, maskRow, type FeatureMask } from './feature-mask.js';
import { fitLasso, type Design, type LinearFit } from './linear-model.js';
import { evaluatePerturbations, type BaselineOptions } from './perturb.js';
import { checkCount, checkInput, checkTarget } from '../util/checks.js';

export interface LimeOptions extends BaselineOptions {
  /**
   * Interpretable features: ids per element (integers ≥ 0; Captum shifts them to start at 0),
   * shaped like one row, like the input, or broadcast to it. Default: every element its own feature.
   */
  featureMask?: Tensor;
  /** Perturbed samples per input row (Captum's default for Lime.attribute: 25). */
  nSamples?: number;
  /** Seed of the sampler (default 0). */
  seed?: number;
  /**
   * Given binary samples instead of drawn ones: [nSamples, features] for every row, or
   * [rows, nSamples, features]; 1 keeps a feature's input values, 0 puts its baseline.
   */
  samples?: Tensor;
}

/**
 * Captum's Lime with its defaults: binary samples z over the interpretable features (each bit 1
 * with probability ½), the perturbed input x where z is 1 and the baseline where z is 0,
 * weights exp(−d² / (2·w²)) with d the cosine distance between the input row and the perturbed
 * one and kernel width w = 1, and a Lasso (α = 0.01) fitted to F on the samples; each element's
 * attribution is its feature's coefficient. Every input row gets its own surrogate model.
 * KernelShap changes the sampler, the weights and the model (the protected methods).
 */
export class Lime {
  constructor(readonly explainable: Explainable) {}

  async attribute(input: Tensor, options: LimeOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    const rows = input.shape[0]!;
    checkTarget(options.target, rows);
    checkCount(options.nSamples, 'nSamples');
    const baseline = expandBaseline(input, options.baselines);
    const mask = featureMask(input, options.featureMask);
    const features = mask.count - mask.min;
    const random = new Random(options.seed ?? 0);
    const samples = Array.from({ length: rows }, (_, r) => this.samplesFor(options, r, rows, features, random));
    return { attributions: await this.surrogate(input, baseline, mask, samples, options) };
  }

  /** Captum's default perturb_func: every bit an independent fair coin. */
  protected drawSamples(features: number, count: number, random: Random): Uint8Array[] {
    return Array.from({ length: count }, () => Uint8Array.from({ length: features }, () => (random.next() < 0.5 ? 1 : 0)));
  }

  /** Captum's default similarity_func: exponential kernel (width 1) on the cosine distance. */
  protected similarity(original: Float32Array, perturbed: Float32Array, _sample: Uint8Array): number {
    const distance = 1 - cosineSimilarity(original, perturbed);
    return Math.exp(-(distance * distance) / 2);
  }

  /** Captum's default interpretable model, SkLearnLasso(alpha=0.01). */
  protected fit(design: Design, outputs: Float64Array, weights: Float64Array): LinearFit {
    return fitLasso(design, outputs, weights, 0.01);
  }

  private samplesFor(options: LimeOptions, r: number, rows: number, features: number, random: Random): Uint8Array[] {
    if (!options.samples) return this.drawSamples(features, options.nSamples ?? 25, random);
    const given = options.samples;
    const shared = given.rank === 2;
    if (!(shared || (given.rank === 3 && given.shape[0] === rows)) || given.shape[given.rank - 1] !== features || given.shape[given.rank - 2] === 0) {
      throw new GlassboxError('bad-option', `samples must be shaped [nSamples, ${features}] or [${rows}, nSamples, ${features}] (one bit per feature), got ${formatShape(given.shape)}`);
    }
    const count = given.shape[given.rank - 2]!;
    const bits = given.toNumbers();
    const offset = shared ? 0 : r * count * features;
    return Array.from({ length: count }, (_, s) => Uint8Array.from({ length: features }, (_, f) => {
      const v = bits[offset + s * features + f]!;
      if (v !== 0 && v !== 1) throw new GlassboxError('bad-option', `samples must be 0 or 1, got ${v}`);
      return v;
    }));
  }

  /** Runs every row's samples through the model in one batched pass, then fits one model per row. */
  private async surrogate(x: Tensor, baseline: Tensor, mask: FeatureMask, samples: Uint8Array[][], options: LimeOptions): Promise<Tensor> {
    const rows = x.shape[0]!;
    const rowSize = x.size / rows;
    const input = x.data as Float32Array;
    const base = baseline.data as Float32Array | Float64Array;
    // Every row has the same number of samples (drawn, or given for all rows or per row).
    const n = samples[0]!.length;
    const perturb = (r: number, sample: Uint8Array, out: Float32Array): void => {
      const ids = maskRow(mask, r);
      for (let e = 0; e < rowSize; e++) out[e] = sample[ids[e]! - mask.min] ? input[r * rowSize + e]! : base[r * rowSize + e]!;
    };
    const outputs = await evaluatePerturbations(this.explainable, x, {
      count: rows * n,
      rowOf: (k) => Math.floor(k / n),
      fill: (k, out) => perturb(Math.floor(k / n), samples[Math.floor(k / n)]![k % n]!, out),
    }, options);
    const features = mask.count - mask.min;
    const attributions = new Float32Array(x.size);
    const scratch = new Float32Array(rowSize);
    for (let r = 0; r < rows; r++) {
      const list = samples[r]!;
      const original = input.subarray(r * rowSize, (r + 1) * rowSize);
      const design: Design = { x: new Float64Array(list.length * features), n: list.length, m: features };
      const weights = new Float64Array(list.length);
      list.forEach((sample, s) => {
        design.x.set(sample, s * features);
        perturb(r, sample, scratch);
        weights[s] = this.similarity(original, scratch, sample);
      });
      const { coef } = this.fit(design, outputs.subarray(r * n, (r + 1) * n), weights);
      const ids = maskRow(mask, r);
      for (let e = 0; e < rowSize; e++) attributions[r * rowSize + e] = coef[ids[e]! - mask.min]!;
    }
    return new Tensor('float32', x.shape, attributions);
  }
}

/** torch.nn.CosineSimilarity(dim=0, eps=1e-8): each norm clamped below at eps. */
function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / (Math.max(Math.sqrt(aa), 1e-8) * Math.max(Math.sqrt(bb), 1e-8));
}
