/**
 * Explanation infidelity (Yeh et al. 2019, "On the (In)fidelity and Sensitivity of
 * Explanations"), with Captum's definition (captum.metrics.infidelity):
 *
 *   INFD(Φ, F, x) = E_I[(Iᵀ Φ(F, x) − (F(x) − F(x − I)))²]
 *
 * estimated over nPerturbSamples perturbations I per input row. With `normalize`, Φ is first
 * scaled by the β that minimises that error, β = E[IᵀΦ·ΔF] / E[(IᵀΦ)²], so that the score does
 * not depend on the attributions' scale.
 */
import { GlassboxError } from '../../util/errors.js';
import { Random } from '../../util/random.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Explainable } from '../explainable.js';
import type { Baselines, Target } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { repeatEachRow } from '../util/tensor-ops.js';
import { batchOptions, checkCount, extraForRows, interleavedRows, sampleChunks, targetForRows, values } from './sampling.js';

/** What a perturbation function returns: the perturbations I and the perturbed inputs x − I. */
export interface InfidelityPerturbation {
  perturbations: Tensor;
  perturbed: Tensor;
}

export interface PerturbContext {
  /** The metric's seeded generator: draw all randomness from it so that `seed` reproduces runs. */
  random: Random;
  /** The baselines, one row per input row, when the caller gave some. */
  baselines?: Tensor;
}

/**
 * Captum's perturb_func. It receives every input row repeated once per sample, consecutively
 * (rows·k rows: x₀, x₀, …, x₁, x₁, …), and returns perturbations and perturbed inputs of that
 * same shape.
 */
export type InfidelityPerturbFunc = (inputs: Tensor, context: PerturbContext) => InfidelityPerturbation | Promise<InfidelityPerturbation>;

export interface InfidelityOptions {
  /** Default: gaussianPerturbation() — I ~ N(0, 0.003²), suited to local attributions (see there). */
  perturbFunc?: InfidelityPerturbFunc;
  /** Handed to perturbFunc (as Captum does); needed by perturbations relative to a baseline. */
  baselines?: Baselines;
  target?: Target;
  /** Perturbations per input row (Captum's default, 10). */
  nPerturbSamples?: number;
  /** Perturbed rows per call of perturbFunc (Captum's max_examples_per_batch; default: all at once). */
  maxExamplesPerBatch?: number;
  /** Scale the attributions by the error-minimising β first (Captum's `normalize`). */
  normalize?: boolean;
  /** Seed of the generator handed to perturbFunc (default 0). */
  seed?: number;
  additionalForwardArgs?: Feeds;
  /** Rows per forward run (default: from the memory budget). */
  internalBatchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The infidelity of `attributions` (shaped like `inputs`) for each input row, as Captum computes
 * it: F is the explained output at the target, evaluated in batches through Explainable.forward.
 */
export async function infidelity(explainable: Explainable, inputs: Tensor, attributions: Tensor, options: InfidelityOptions = {}): Promise<Float64Array> {
  if (!sameShape(inputs.shape, attributions.shape)) {
    throw new GlassboxError('bad-shape', `attributions of shape ${formatShape(attributions.shape)} do not match the input's shape ${formatShape(inputs.shape)}`);
  }
  const n = checkCount(options.nPerturbSamples ?? 10, 'nPerturbSamples');
  const rows = inputs.shape[0]!;
  const chunks = sampleChunks(rows, n, options.maxExamplesPerBatch);
  const perturbFunc = options.perturbFunc ?? gaussianPerturbation();
  const baselines = options.baselines === undefined ? undefined : expandBaseline(inputs, options.baselines);
  const extra = options.additionalForwardArgs ?? {};
  const fx = Explainable.select(await explainable.forward(inputs, extra, batchOptions(options.internalBatchSize)), options.target);
  const sums = { aa: new Float64Array(rows), ab: new Float64Array(rows), bb: new Float64Array(rows), err: new Float64Array(rows) };
  const random = new Random(options.seed ?? 0);
  let done = 0;
  for (const k of chunks) {
    const expanded = repeatEachRow(inputs, k);
    const context: PerturbContext = { random, ...(baselines ? { baselines: repeatEachRow(baselines, k) } : {}) };
    const { perturbations, perturbed } = checkPerturbation(await perturbFunc(expanded, context), expanded);
    const indices = interleavedRows(rows, k);
    const out = await explainable.forward(perturbed, extraForRows(extra, rows, indices), batchOptions(options.internalBatchSize));
    const fPerturbed = Explainable.select(out, targetForRows(options.target, indices));
    accumulate(sums, attributions, perturbations, fx, fPerturbed, k);
    done += k;
    options.onProgress?.(done, n);
  }
  return infidelityScores(sums, n, options.normalize ?? false);
}

/**
 * Captum's default perturbation in its documentation: Gaussian noise I ~ N(0, stdev²),
 * perturbed input x − I. Iᵀ·attr then estimates F(x) − F(x − I) for local attributions
 * (Saliency, GuidedBackprop, …). For global attributions (IG, InputXGradient, DeepLift, SHAP),
 * set `multiplyByInputs`: the perturbation becomes (x − x̃)/(x − baseline), as Captum's
 * infidelity_perturb_func_decorator(True) computes it.
 */
export function gaussianPerturbation(options: { stdev?: number; multiplyByInputs?: boolean } = {}): InfidelityPerturbFunc {
  const stdev = options.stdev ?? 0.003;
  const perturb = (inputs: Tensor, { random }: PerturbContext): Tensor => {
    const x = values(inputs);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i]! - stdev * random.normal();
    return new Tensor('float32', inputs.shape, out);
  };
  return infidelityPerturbFuncDecorator(options.multiplyByInputs ?? false)(perturb);
}

/**
 * Captum's infidelity_perturb_func_decorator: turns a function that returns only perturbed
 * inputs x̃ into a perturbation function, with I = x − x̃, or (x − x̃)/(x − baseline) when
 * `multiplyByInputs` (baseline 0 when none is given; a zero denominator counts as 1, as
 * Captum's safe_div does).
 */
export function infidelityPerturbFuncDecorator(multiplyByInputs = true) {
  return (perturb: (inputs: Tensor, context: PerturbContext) => Tensor | Promise<Tensor>): InfidelityPerturbFunc =>
    async (inputs, context) => {
      const perturbed = await perturb(inputs, context);
      if (!sameShape(perturbed.shape, inputs.shape)) {
        throw new GlassboxError('bad-perturbation', `the perturbation function returned shape ${formatShape(perturbed.shape)} for inputs of shape ${formatShape(inputs.shape)}`);
      }
      const [x, p] = [values(inputs), values(perturbed)];
      const b = context.baselines ? values(context.baselines) : undefined;
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const diff = x[i]! - p[i]!;
        const denom = multiplyByInputs ? x[i]! - (b ? b[i]! : 0) : 1;
        out[i] = diff / (denom === 0 ? 1 : denom);
      }
      return { perturbations: new Tensor('float32', inputs.shape, out), perturbed };
    };
}

interface Sums {
  /** Σ (IᵀΦ)², Σ IᵀΦ·ΔF, Σ ΔF², Σ (IᵀΦ − ΔF)² per input row. */
  aa: Float64Array;
  ab: Float64Array;
  bb: Float64Array;
  err: Float64Array;
}

/** Adds one chunk of k samples per row: a = IᵀΦ(x), b = F(x) − F(x̃). */
function accumulate(sums: Sums, attributions: Tensor, perturbations: Tensor, fx: Float64Array, fPerturbed: Float64Array, k: number): void {
  const attr = values(attributions);
  const pert = values(perturbations);
  const rows = fx.length;
  const per = attr.length / rows;
  for (let j = 0; j < rows * k; j++) {
    const r = Math.floor(j / k);
    let a = 0;
    for (let i = 0; i < per; i++) a += attr[r * per + i]! * pert[j * per + i]!;
    const b = fx[r]! - fPerturbed[j]!;
    sums.aa[r] += a * a;
    sums.ab[r] += a * b;
    sums.bb[r] += b * b;
    sums.err[r] += (a - b) * (a - b);
  }
}

/** Mean squared error per row; normalised with β = Σab / Σa² (Captum's safe_div: 0/0 → 0). */
function infidelityScores(sums: Sums, n: number, normalize: boolean): Float64Array {
  return sums.err.map((err, r) => {
    if (!normalize) return err / n;
    const beta = sums.ab[r]! / (sums.aa[r] === 0 ? 1 : sums.aa[r]!);
    return (beta * beta * sums.aa[r]! - 2 * beta * sums.ab[r]! + sums.bb[r]!) / n;
  });
}

function checkPerturbation(result: InfidelityPerturbation, expanded: Tensor): InfidelityPerturbation {
  const { perturbations, perturbed } = result ?? {};
  for (const [what, t] of [['perturbations', perturbations], ['perturbed inputs', perturbed]] as const) {
    if (!(t instanceof Tensor) || !sameShape(t.shape, expanded.shape)) {
      const got = t instanceof Tensor ? formatShape(t.shape) : typeof t;
      throw new GlassboxError('bad-perturbation', `the perturbation function must return { perturbations, perturbed } shaped like its input ${formatShape(expanded.shape)}; its ${what} are ${got}`);
    }
  }
  return { perturbations: perturbations!, perturbed: perturbed! };
}
