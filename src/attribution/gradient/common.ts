/**
 * Plumbing the gradient methods share: checks, and rows, targets and extra feeds expanded the
 * two ways Captum expands them — 'tile' (torch.cat([t] * n): IG's steps, DeepLift's
 * input/baseline halves) and 'interleave' (repeat_interleave: NoiseTunnel's and the SHAP
 * family's samples per row) — and the convergence delta.
 */
import { GlassboxError } from '../../util/errors.js';
import { formatShape } from '../../tensor/shape.js';
import { concatBatch, Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Explainable } from '../explainable.js';
import type { Target } from '../types.js';
import type { GradientCall, GradientOptions } from './base.js';
import { rowSums } from '../util/tensor-ops.js';

export type Expansion = 'tile' | 'interleave';

/** NoiseTunnel's ways to combine samples (GradientShap averages: 'smoothgrad'). */
export type NoiseTunnelType = 'smoothgrad' | 'smoothgrad_sq' | 'vargrad';

/** The attributed input must be a float32 batch with at least one row. */
export function checkInput(x: Tensor): void {
  if (x.dtype !== 'float32') throw new GlassboxError('bad-input', `attributions need a float32 input, got ${x.dtype}`);
  if (x.rank < 1 || x.shape[0] === 0) throw new GlassboxError('bad-input', `the input must be a batch of at least one row, got shape ${formatShape(x.shape)}`);
}

/** One target per row when targets are given per row (their range is checked by the model run). */
export function checkTarget(target: Target, rows: number): void {
  if (Array.isArray(target) && target.length !== rows) {
    throw new GlassboxError('bad-target', `${target.length} targets given for ${rows} input rows (give one target, or one per row)`);
  }
}

/** Rows of `t` repeated `times` times, tiled ([r0, r1, r0, r1]) or interleaved ([r0, r0, r1, r1]); any dtype. */
export function expandRows(t: Tensor, times: number, how: Expansion): Tensor {
  if (times === 1) return t;
  if (how === 'tile') return concatBatch(Array.from({ length: times }, () => t));
  const rows = t.shape[0]!;
  const parts: Tensor[] = [];
  for (let r = 0; r < rows; r++) {
    const row = t.sliceBatch(r, r + 1);
    for (let k = 0; k < times; k++) parts.push(row);
  }
  return concatBatch(parts);
}

/** Targets for the expanded rows (a single class stays as it is). */
export function expandTarget(target: Target, times: number, how: Expansion): Target {
  if (!Array.isArray(target)) return target;
  const list = target as readonly number[];
  return how === 'tile'
    ? Array.from({ length: list.length * times }, (_, i) => list[i % list.length]!)
    : Array.from({ length: list.length * times }, (_, i) => list[Math.floor(i / times)]!);
}

/** Extra feeds for the expanded rows: those with one row per input row are expanded, one-row feeds broadcast as before. */
export function expandFeeds(extra: Feeds, rows: number, times: number, how: Expansion): Feeds {
  const out: Feeds = {};
  for (const [name, t] of Object.entries(extra)) {
    const n = t.shape[0];
    if (n !== 1 && n !== rows) throw new GlassboxError('bad-input', `additional input "${name}" has ${n} rows; give one row, or one per input row (${rows})`);
    out[name] = n === 1 ? t : expandRows(t, times, how);
  }
  return out;
}

/** Rows [start, end) of the extra feeds that have one row per input row. */
export function sliceFeeds(extra: Feeds, rows: number, start: number, end: number): Feeds {
  const out: Feeds = {};
  for (const [name, t] of Object.entries(extra)) out[name] = t.shape[0] === rows && rows > 1 ? t.sliceBatch(start, end) : t;
  return out;
}

/**
 * Captum's compute_convergence_delta: per row, Σ attributions − (F(end)[target] − F(start)[target]),
 * with both points run in one forward batch.
 */
export async function convergenceDelta(
  explainable: Explainable,
  attributions: Tensor,
  start: Tensor,
  end: Tensor,
  target: Target,
  extra: Feeds,
  batchSize?: number,
): Promise<Float64Array> {
  const rows = end.shape[0]!;
  const outputs = await explainable.forward(concatBatch([end, start]), expandFeeds(extra, rows, 2, 'tile'), batchSize === undefined ? {} : { batchSize });
  const values = Explainable.select(outputs, expandTarget(target, 2, 'tile'));
  const sums = rowSums(attributions);
  return sums.map((s, r) => s - (values[r]! - values[rows + r]!));
}

/** Progress of one part of a longer run, reported on the whole run's scale. */
export function progressPart(
  onProgress: ((done: number, total: number) => void) | undefined,
  offset: number,
  total: number,
): ((done: number) => void) | undefined {
  return onProgress && ((done) => onProgress(offset + done, total));
}

/** The gradient request of a method's options (target, rows per run, progress). */
export function gradientCall(options: GradientOptions, target: Target = options.target): GradientCall {
  return {
    target,
    ...(options.internalBatchSize !== undefined ? { batchSize: options.internalBatchSize } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}

/** Attributions of n samples per row (row r's at r·n … r·n + n − 1) combined per row: the mean of its samples' attributions, of their squares, or their variance E[a²] − E[a]². */
export function combineSamples(attributions: Tensor, rows: number, n: number, type: NoiseTunnelType): Tensor {
  const perRow = attributions.size / (rows * n);
  const src = attributions.data as Float32Array;
  const out = new Float32Array(rows * perRow);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < perRow; i++) {
      let sum = 0;
      let sumSq = 0;
      for (let k = 0; k < n; k++) {
        const v = src[(r * n + k) * perRow + i]!;
        sum += v;
        sumSq += v * v;
      }
      const mean = sum / n;
      const meanSq = sumSq / n;
      out[r * perRow + i] = type === 'smoothgrad' ? mean : type === 'smoothgrad_sq' ? meanSq : meanSq - mean * mean;
    }
  }
  return new Tensor('float32', [rows, ...attributions.shape.slice(1)], out);
}
