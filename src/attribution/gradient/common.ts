/**
 * Plumbing the gradient methods share: checks, and rows, targets and extra feeds expanded the
 * two ways Captum expands them — 'tile' (torch.cat([t] * n): IG's steps, DeepLift's
 * input/baseline halves) and 'interleave' (repeat_interleave: NoiseTunnel's and the SHAP
 * family's samples per row) — and the convergence delta.
 */
import { GlassboxError } from '../../util/errors.js';
import { concatBatch, Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Explainable } from '../explainable.js';
import { expandRows as expandRowsOf } from '../util/tensor-ops.js';
import type { Target } from '../types.js';
import type { GradientCall, GradientOptions } from './base.js';
import { rowSums } from '../util/tensor-ops.js';

export type Expansion = 'tile' | 'interleave';
export { expandRows } from '../util/tensor-ops.js';

/** NoiseTunnel's ways to combine samples (GradientShap averages: 'smoothgrad'). */
export type NoiseTunnelType = 'smoothgrad' | 'smoothgrad_sq' | 'vargrad';

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
    out[name] = n === 1 ? t : expandRowsOf(t, times, how);
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
