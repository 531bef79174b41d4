/**
 * Deletion and insertion curves (Petsiuk et al. 2018, "RISE", §4.1): features are ordered by
 * attribution, most positive first. Deletion starts from the input and replaces features by a
 * baseline in that order; insertion starts from the baseline and puts the input's features back.
 * After every step the target's probability is recorded; the area under the curve (trapezoid
 * rule over the fraction of features changed, from 0 to 1) summarises it: low for deletion and
 * high for insertion mean the attributions found what the model relies on.
 */
import { GlassboxError } from '../../util/errors.js';
import { formatShape, sameShape, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Explainable } from '../explainable.js';
import type { Target } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { batchOptions, checkCount, extraForRows, targetForRows, values } from './sampling.js';

/** What a deleted feature becomes (insertion's starting point). */
export type CurveBaseline = 'zeros' | 'mean' | 'blur' | number | Tensor;

/** How input elements group into features; 'auto' picks by rank (see featureGroups). */
export type CurveFeatures = 'auto' | 'element' | 'pixel' | 'token';

export interface CurveOptions {
  target?: Target;
  /**
   * The replacement values: 'zeros' (RISE's deletion substrate; the default), a number, a tensor
   * (one row or one per row; e.g. the PAD token's embeddings), 'mean' (per row, the mean over
   * each channel of an image or each embedding dimension over the tokens) or 'blur' (a Gaussian
   * blur of the image, RISE's insertion substrate; [N, C, H, W] inputs only).
   */
  baselines?: CurveBaseline;
  /** The blur's kernel (RISE: 11 pixels, σ = 5). */
  blur?: { kernelSize?: number; sigma?: number };
  /**
   * 'element': every element; 'pixel': a pixel's channels together ([N, C, H, W]); 'token': a
   * token's embedding together (the last axis of [N, T, D]). 'auto' (default): 'pixel' for rank
   * 4, 'token' for rank 3, else 'element'. A feature's score is the sum of its attributions.
   */
  features?: CurveFeatures;
  /**
   * Integer group ids shaped like one input row (or like the input, per row): elements with the
   * same id form one feature (superpixels, words). Overrides `features`.
   */
  featureMask?: Tensor;
  /** Number of steps from 0 to all features (default: min(features, 50)), spread evenly. */
  nSteps?: number;
  /** Features changed per step instead (RISE's `step`); the last step takes what is left. */
  featuresPerStep?: number;
  /**
   * What is recorded: 'softmax' of the output row at the target (the default for outputs with
   * several values per row), 'sigmoid', or 'raw' values (the default for one value per row, and
   * for models that already output probabilities).
   */
  probability?: 'softmax' | 'sigmoid' | 'raw';
  additionalForwardArgs?: Feeds;
  /** Rows per forward run (default: from the memory budget). */
  internalBatchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface PerturbationCurve {
  /** Fraction of features changed before each recorded score: 0, …, 1 (nSteps + 1 points). */
  fractions: Float64Array;
  /** Per input row, the recorded score after each step. */
  scores: Float64Array[];
  /** Per input row, the area under its curve (trapezoid rule over `fractions`). */
  auc: Float64Array;
}

/** Deletion curve: features replaced by the baseline, most important first. */
export function deletionCurve(explainable: Explainable, inputs: Tensor, attributions: Tensor, options: CurveOptions = {}): Promise<PerturbationCurve> {
  return perturbationCurve('deletion', explainable, inputs, attributions, options);
}

/** Insertion curve: from the baseline, the input's features put back, most important first. */
export function insertionCurve(explainable: Explainable, inputs: Tensor, attributions: Tensor, options: CurveOptions = {}): Promise<PerturbationCurve> {
  return perturbationCurve('insertion', explainable, inputs, attributions, options);
}

/** ∫ y dx by the trapezoid rule over increasing xs. */
export function trapezoidAuc(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  if (xs.length !== ys.length) throw new GlassboxError('bad-option', `trapezoidAuc needs as many x as y values (${xs.length} vs ${ys.length})`);
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i]! - xs[i - 1]!) * (ys[i]! + ys[i - 1]!)) / 2;
  return area;
}

/** Largest block of step inputs built at once (the forward run chunks it further). */
const BLOCK_BYTES = 64 * 1024 * 1024;

async function perturbationCurve(mode: 'deletion' | 'insertion', explainable: Explainable, inputs: Tensor, attributions: Tensor, options: CurveOptions): Promise<PerturbationCurve> {
  if (!sameShape(inputs.shape, attributions.shape)) {
    throw new GlassboxError('bad-shape', `attributions of shape ${formatShape(attributions.shape)} do not match the input's shape ${formatShape(inputs.shape)}`);
  }
  const rows = inputs.shape[0]!;
  const per = inputs.size / rows;
  const baseline = substrate(inputs, options);
  const [start, finish] = mode === 'deletion' ? [values(inputs), values(baseline)] : [values(baseline), values(inputs)];
  const groups = featureGroups(inputs, options);
  const orders = groups.map((g, r) => rankFeatures(g, values(attributions).subarray(r * per, (r + 1) * per)));
  const counts = groups.map((g) => g.offsets.length - 1);
  if (counts.some((c) => c !== counts[0])) throw new GlassboxError('bad-option', `every row's feature mask must have the same number of features (got ${[...new Set(counts)].join(', ')})`);
  const bounds = stepBounds(counts[0]!, options);
  const points = bounds.length;
  const total = rows * points;
  const blockRows = Math.max(1, Math.floor(BLOCK_BYTES / (4 * per)));
  const recorded = new Float64Array(total);
  // Step inputs are generated row by row, step by step, and run in blocks: rows·points inputs
  // would not fit in memory at once for large images or long sequences.
  const block = new Float32Array(Math.min(total, blockRows) * per);
  let filled = 0;
  let done = 0;
  const flush = async (): Promise<void> => {
    if (filled === 0) return;
    const ids = Array.from({ length: filled }, (_, i) => Math.floor((done + i) / points));
    const x = new Tensor('float32', [filled, ...inputs.shape.slice(1)], block.slice(0, filled * per));
    const out = await explainable.forward(x, extraForRows(options.additionalForwardArgs, rows, ids), batchOptions(options.internalBatchSize));
    recorded.set(scoreRows(out, targetForRows(options.target, ids), options.probability), done);
    done += filled;
    filled = 0;
    options.onProgress?.(done, total);
  };
  for (let r = 0; r < rows; r++) {
    const current = Float32Array.from(start.subarray(r * per, (r + 1) * per));
    const target = finish.subarray(r * per, (r + 1) * per);
    const { elements, offsets } = groups[r]!;
    for (let s = 0; s < points; s++) {
      // Features order[bounds[s−1] .. bounds[s]) change between point s − 1 and point s.
      for (let k = s === 0 ? 0 : bounds[s - 1]!; k < bounds[s]!; k++) {
        const f = orders[r]![k]!;
        for (let e = offsets[f]!; e < offsets[f + 1]!; e++) current[elements[e]!] = target[elements[e]!]!;
      }
      block.set(current, filled * per);
      if (++filled * per === block.length) await flush();
    }
  }
  await flush();
  const n = counts[0]!;
  const fractions = Float64Array.from(bounds, (k) => k / n);
  const scores = Array.from({ length: rows }, (_, r) => recorded.slice(r * points, (r + 1) * points));
  return { fractions, scores, auc: Float64Array.from(scores, (ys) => trapezoidAuc(fractions, ys)) };
}

/** Features changed before each point: 0 = k₀ < k₁ < … < k_S = n. */
function stepBounds(n: number, options: CurveOptions): number[] {
  if (options.featuresPerStep !== undefined) {
    const size = checkCount(options.featuresPerStep, 'featuresPerStep');
    const bounds = [0];
    for (let k = size; k < n + size; k += size) bounds.push(Math.min(k, n));
    return bounds;
  }
  const steps = Math.min(n, checkCount(options.nSteps ?? Math.min(n, 50), 'nSteps'));
  return Array.from({ length: steps + 1 }, (_, i) => Math.round((i * n) / steps));
}

/** The elements of each feature, grouped (CSR: elements[offsets[f] .. offsets[f + 1]]). */
interface Groups {
  elements: Int32Array;
  offsets: Int32Array;
}

/** One grouping per input row (the same object when the rows share it). */
function featureGroups(inputs: Tensor, options: CurveOptions): Groups[] {
  const rows = inputs.shape[0]!;
  const row = inputs.shape.slice(1);
  const per = sizeOf(row);
  if (options.featureMask) {
    const mask = options.featureMask;
    const ids = mask.toNumbers();
    if (sameShape(mask.shape, row) || sameShape(mask.shape, [1, ...row])) return new Array<Groups>(rows).fill(groupBy(ids));
    if (sameShape(mask.shape, inputs.shape)) return Array.from({ length: rows }, (_, r) => groupBy(ids.slice(r * per, (r + 1) * per)));
    throw new GlassboxError('bad-option', `the feature mask has shape ${formatShape(mask.shape)}; give one row ${formatShape(row)} or one per input row ${formatShape(inputs.shape)}`);
  }
  const kind = options.features === undefined || options.features === 'auto' ? (inputs.rank === 4 ? 'pixel' : inputs.rank === 3 ? 'token' : 'element') : options.features;
  const ids = new Array<number>(per);
  if (kind === 'element') for (let i = 0; i < per; i++) ids[i] = i;
  else if (kind === 'pixel') {
    if (inputs.rank < 3) throw new GlassboxError('not-applicable', `per-pixel features need inputs [N, C, ...spatial]; this input has shape ${formatShape(inputs.shape)}`);
    const spatial = sizeOf(row.slice(1));
    for (let i = 0; i < per; i++) ids[i] = i % spatial;
  } else if (kind === 'token') {
    if (inputs.rank < 3) throw new GlassboxError('not-applicable', `per-token features need inputs [N, T, D]; this input has shape ${formatShape(inputs.shape)}`);
    const width = row[row.length - 1]!;
    for (let i = 0; i < per; i++) ids[i] = Math.floor(i / width);
  } else throw new GlassboxError('bad-option', `features must be 'auto', 'element', 'pixel' or 'token', got '${String(kind)}'`);
  return new Array<Groups>(rows).fill(groupBy(ids));
}

/** Groups element indices by id (ids in order of first appearance become features 0, 1, …). */
function groupBy(ids: readonly number[]): Groups {
  const feature = new Map<number, number>();
  const members: number[][] = [];
  ids.forEach((id, i) => {
    let f = feature.get(id);
    if (f === undefined) {
      f = members.length;
      feature.set(id, f);
      members.push([]);
    }
    members[f]!.push(i);
  });
  const offsets = new Int32Array(members.length + 1);
  members.forEach((m, f) => { offsets[f + 1] = offsets[f]! + m.length; });
  return { elements: Int32Array.from(members.flat()), offsets };
}

/** Features by summed attribution, highest first (ties keep feature order). */
function rankFeatures({ elements, offsets }: Groups, attributions: ArrayLike<number>): Int32Array {
  const n = offsets.length - 1;
  const score = new Float64Array(n);
  for (let f = 0; f < n; f++) for (let e = offsets[f]!; e < offsets[f + 1]!; e++) score[f] += attributions[elements[e]!]!;
  return Int32Array.from({ length: n }, (_, f) => f).sort((a, b) => score[b]! - score[a]! || a - b);
}

/** The baseline tensor, shaped like the input. */
function substrate(inputs: Tensor, options: CurveOptions): Tensor {
  const b = options.baselines ?? 'zeros';
  if (b === 'mean') return channelMeans(inputs);
  if (b === 'blur') return gaussianBlur(inputs, options.blur?.kernelSize ?? 11, options.blur?.sigma ?? 5);
  return expandBaseline(inputs, b);
}

/**
 * Per row, every element replaced by the mean of its channel: over H·W for images [N, C, H, W],
 * over the tokens for embeddings [N, T, D] (the mean embedding), over the row otherwise.
 */
function channelMeans(inputs: Tensor): Tensor {
  const x = values(inputs);
  const rows = inputs.shape[0]!;
  const per = x.length / rows;
  const [channels, channelOf] = inputs.rank === 4
    ? [inputs.shape[1]!, (i: number): number => Math.floor(i / sizeOf(inputs.shape.slice(2)))]
    : inputs.rank === 3 ? [inputs.shape[2]!, (i: number): number => i % inputs.shape[2]!] : [1, (): number => 0];
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const sums = new Float64Array(channels);
    for (let i = 0; i < per; i++) sums[channelOf(i)] += x[r * per + i]!;
    for (let i = 0; i < per; i++) out[r * per + i] = (sums[channelOf(i)]! * channels) / per;
  }
  return new Tensor('float32', inputs.shape, out);
}

/**
 * A separable Gaussian blur of [N, C, H, W] images over H and W (RISE's insertion substrate).
 * Kernel weights are renormalised over the pixels inside the image, so borders do not darken.
 */
export function gaussianBlur(inputs: Tensor, kernelSize = 11, sigma = 5): Tensor {
  if (inputs.rank !== 4) throw new GlassboxError('not-applicable', `the blur baseline needs images [N, C, H, W]; this input has shape ${formatShape(inputs.shape)}`);
  checkCount(kernelSize, 'blur kernelSize');
  if (!(sigma > 0)) throw new GlassboxError('bad-option', `the blur sigma must be positive, got ${sigma}`);
  const [n, c, h, w] = inputs.shape as [number, number, number, number];
  const half = Math.floor(kernelSize / 2);
  const kernel = Array.from({ length: 2 * half + 1 }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)));
  const pass = (src: Float32Array | Float64Array, along: 'h' | 'w'): Float32Array => {
    const out = new Float32Array(src.length);
    for (let p = 0; p < n * c; p++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let sum = 0;
          let weight = 0;
          for (let k = -half; k <= half; k++) {
            const [yy, xx] = along === 'h' ? [y + k, x] : [y, x + k];
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            sum += kernel[k + half]! * src[p * h * w + yy * w + xx]!;
            weight += kernel[k + half]!;
          }
          out[p * h * w + y * w + x] = sum / weight;
        }
      }
    }
    return out;
  };
  return new Tensor('float32', inputs.shape, pass(pass(values(inputs), 'h'), 'w'));
}

/** The recorded score per row: the target's probability (softmax/sigmoid) or raw value. */
function scoreRows(outputs: Tensor, target: Target, probability: CurveOptions['probability']): Float64Array {
  const rows = outputs.shape[0]!;
  const per = outputs.size / rows;
  const mode = probability ?? (per > 1 ? 'softmax' : 'raw');
  const raw = Explainable.select(outputs, target);
  if (mode === 'raw') return raw;
  if (mode === 'sigmoid') return raw.map((v) => 1 / (1 + Math.exp(-v)));
  if (mode !== 'softmax') throw new GlassboxError('bad-option', `probability must be 'softmax', 'sigmoid' or 'raw', got '${String(mode)}'`);
  const data = values(outputs);
  return raw.map((v, r) => {
    let max = -Infinity;
    for (let i = 0; i < per; i++) max = Math.max(max, data[r * per + i]!);
    let sum = 0;
    for (let i = 0; i < per; i++) sum += Math.exp(data[r * per + i]! - max);
    return Math.exp(v - max) / sum;
  });
}
