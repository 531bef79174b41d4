/**
 * Maximum sensitivity of an explanation (Yeh et al. 2019), with Captum's definition
 * (captum.metrics.sensitivity_max): over nPerturbSamples perturbed inputs x + δ per row,
 *
 *   SENS_MAX(Φ, x) = max_δ ‖Φ(x + δ) − Φ(x)‖ / ‖Φ(x)‖
 *
 * with δ uniform in the L∞ ball of radius 0.02 and the Frobenius norm (the L2 norm of the
 * flattened row) by default; a zero ‖Φ(x)‖ counts as 1, as in Captum.
 */
import { GlassboxError } from '../../util/errors.js';
import { Random } from '../../util/random.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { AttributionMethod, Baselines, Target } from '../types.js';
import { repeatEachRow } from '../util/tensor-ops.js';
import { checkCount, extraForRows, interleavedRows, sampleChunks, takeRows, targetForRows, values } from './sampling.js';

/** Any of our attribution methods (an object with attribute(input, options)). */
/**
 * Captum's perturb_func for sensitivity: gets every input row repeated once per sample,
 * consecutively, the radius and the metric's seeded generator; returns perturbed inputs.
 */
export type SensitivityPerturbFunc = (inputs: Tensor, radius: number, random: Random) => Tensor | Promise<Tensor>;

/** A vector norm of each flattened row: 'fro' (L2, Captum's default) or p (Infinity, −Infinity, 0 too). */
export type NormOrd = 'fro' | number;

export interface SensitivityOptions<O> {
  /** Default: uniformPerturbation — δ ~ U(−radius, radius) for every element (Captum's default_perturb_func). */
  perturbFunc?: SensitivityPerturbFunc;
  perturbRadius?: number;
  nPerturbSamples?: number;
  normOrd?: NormOrd;
  /** Perturbed rows per attribution call (Captum's max_examples_per_batch; default: all at once). */
  maxExamplesPerBatch?: number;
  /** Seed of the generator handed to perturbFunc (default 0). */
  seed?: number;
  /**
   * The options for `method.attribute` (Captum's **kwargs). For perturbed rows, Captum's
   * expansions apply: a per-row target, per-row extra feeds, baselines shaped like the input and
   * a per-row feature mask are repeated for each sample.
   */
  attributeOptions?: O;
  onProgress?: (done: number, total: number) => void;
}

/** The maximum sensitivity of `method`'s attributions for each row of `inputs`. */
export async function sensitivityMax<O>(method: AttributionMethod<O>, inputs: Tensor, options: SensitivityOptions<NoInfer<O>> = {}): Promise<Float64Array> {
  const n = checkCount(options.nPerturbSamples ?? 10, 'nPerturbSamples');
  const radius = options.perturbRadius ?? 0.02;
  if (!(radius >= 0)) throw new GlassboxError('bad-option', `perturbRadius must be a non-negative number, got ${radius}`);
  const rows = inputs.shape[0]!;
  const perturbFunc = options.perturbFunc ?? uniformPerturbation;
  const attributeOptions = (options.attributeOptions ?? {}) as O;
  const original = checkAttributions((await method.attribute(inputs, attributeOptions)).attributions, inputs.shape);
  const norms = rowNorms(original, options.normOrd ?? 'fro').map((v) => (v === 0 ? 1 : v));
  const random = new Random(options.seed ?? 0);
  const worst = new Float64Array(rows).fill(-Infinity);
  let done = 0;
  for (const k of sampleChunks(rows, n, options.maxExamplesPerBatch)) {
    const expanded = repeatEachRow(inputs, k);
    const perturbed = await perturbFunc(expanded, radius, random);
    if (!(perturbed instanceof Tensor) || !sameShape(perturbed.shape, expanded.shape)) {
      throw new GlassboxError('bad-perturbation', `the perturbation function returned ${perturbed instanceof Tensor ? `shape ${formatShape(perturbed.shape)}` : typeof perturbed} for inputs of shape ${formatShape(expanded.shape)}`);
    }
    const indices = interleavedRows(rows, k);
    const result = await method.attribute(perturbed, expandOptions(attributeOptions, inputs, indices));
    const diffs = differences(checkAttributions(result.attributions, expanded.shape), original, k);
    rowNorms(diffs, options.normOrd ?? 'fro').forEach((v, j) => {
      const r = indices[j]!;
      worst[r] = Math.max(worst[r]!, v / norms[r]!);
    });
    done += k;
    options.onProgress?.(done, n);
  }
  return worst;
}

/** Captum's default_perturb_func: x + δ, δ uniform in [−radius, radius] for every element. */
export function uniformPerturbation(inputs: Tensor, radius: number, random: Random): Tensor {
  const x = values(inputs);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! + random.uniform(-radius, radius);
  return new Tensor('float32', inputs.shape, out);
}

/** Φ(x + δ) − Φ(x) for every perturbed row (each original row repeated k times). */
function differences(perturbed: Tensor, original: Tensor, k: number): Tensor {
  const [p, o] = [values(perturbed), values(original)];
  const per = o.length / original.shape[0]!;
  const out = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! - o[Math.floor(i / (per * k)) * per + (i % per)]!;
  return new Tensor('float64', perturbed.shape, out);
}

/** The norm of each flattened row (torch.norm(p=ord, dim=1) on the [rows, −1] view). */
export function rowNorms(t: Tensor, ord: NormOrd): Float64Array {
  const data = values(t);
  const rows = t.shape[0]!;
  const per = data.length / rows;
  const p = ord === 'fro' ? 2 : ord;
  if (typeof p !== 'number' || Number.isNaN(p)) throw new GlassboxError('bad-option', `normOrd must be 'fro' or a number, got ${String(ord)}`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let acc = p === -Infinity ? Infinity : 0;
    for (let i = r * per; i < (r + 1) * per; i++) {
      const a = Math.abs(data[i]!);
      if (p === Infinity) acc = Math.max(acc, a);
      else if (p === -Infinity) acc = Math.min(acc, a);
      else if (p === 0) acc += a !== 0 ? 1 : 0;
      else acc += a ** p;
    }
    out[r] = Number.isFinite(p) && p !== 0 ? acc ** (1 / p) : acc;
  }
  return out;
}

/** The attribute options for perturbed rows `indices` (Captum's _expand_and_update_* helpers). */
function expandOptions<O>(options: O, inputs: Tensor, indices: readonly number[]): O {
  const rows = inputs.shape[0]!;
  const o = { ...(options as Record<string, unknown>) };
  if (o.target !== undefined) o.target = targetForRows(o.target as Target, indices);
  if (o.additionalForwardArgs) o.additionalForwardArgs = extraForRows(o.additionalForwardArgs as Feeds, rows, indices);
  const baselines = o.baselines as Baselines | undefined;
  if (baselines instanceof Tensor && sameShape(baselines.shape, inputs.shape)) o.baselines = takeRows(baselines, indices);
  const mask = o.featureMask;
  if (mask instanceof Tensor && mask.rank === inputs.rank && mask.shape[0] === rows && rows > 1) o.featureMask = takeRows(mask, indices);
  return o as O;
}

function checkAttributions(t: Tensor, shape: readonly number[]): Tensor {
  if (!sameShape(t.shape, shape)) throw new GlassboxError('bad-shape', `the method returned attributions of shape ${formatShape(t.shape)} for inputs of shape ${formatShape(shape)}`);
  return t;
}
