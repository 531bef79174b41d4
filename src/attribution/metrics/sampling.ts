/**
 * Helpers the metrics share: Captum's way of splitting perturbation samples into chunks, and
 * expanding per-row arguments (targets, extra feeds) to the rows of an expanded batch.
 */
import { GlassboxError } from '../../util/errors.js';
import { concatBatch, type Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { Target } from '../types.js';

export function checkCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new GlassboxError('bad-option', `${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Sample counts per chunk, as Captum's _divide_and_aggregate_metrics splits them: with
 * `maxExamplesPerBatch` set, ⌊max / rows⌋ samples of every row per chunk (at least one — Captum
 * then runs everything at once, which would ignore the cap), the remainder last.
 */
export function sampleChunks(rows: number, nSamples: number, maxExamplesPerBatch?: number): number[] {
  checkCount(nSamples, 'nPerturbSamples');
  if (maxExamplesPerBatch === undefined) return [nSamples];
  checkCount(maxExamplesPerBatch, 'maxExamplesPerBatch');
  const per = Math.max(1, Math.floor(maxExamplesPerBatch / rows));
  const chunks: number[] = [];
  for (let done = 0; done < nSamples; done += per) chunks.push(Math.min(per, nSamples - done));
  return chunks;
}

/** Row indices [0,0,…,1,1,…]: each of `rows` repeated `times` times (torch.repeat_interleave). */
export function interleavedRows(rows: number, times: number): number[] {
  return Array.from({ length: rows * times }, (_, i) => Math.floor(i / times));
}

/** The rows of `t` at `indices` (any dtype), stacked. */
export function takeRows(t: Tensor, indices: readonly number[]): Tensor {
  return concatBatch(indices.map((r) => t.sliceBatch(r, r + 1)));
}

/** The target for the rows at `indices` of a batch of `rows` (a per-row list is re-indexed). */
export function targetForRows(target: Target, indices: readonly number[]): Target {
  return Array.isArray(target) ? indices.map((r) => (target as readonly number[])[r]!) : target;
}

/**
 * Extra feeds for the rows at `indices`: feeds with one row per input row are re-indexed, a
 * single broadcast row stays as it is (Explainable broadcasts it).
 */
export function extraForRows(extra: Feeds | undefined, rows: number, indices: readonly number[]): Feeds {
  const out: Feeds = {};
  for (const [name, t] of Object.entries(extra ?? {})) out[name] = t.shape[0] === rows && rows > 1 ? takeRows(t, indices) : t;
  return out;
}

/** Float64 values of a float tensor (metrics accumulate in double precision). */
export function values(t: Tensor): Float32Array | Float64Array {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new GlassboxError('bad-dtype', `metrics need float tensors, got ${t.dtype}`);
  return t.data as Float32Array | Float64Array;
}

/** Forward options from a method's internalBatchSize. */
export function batchOptions(internalBatchSize: number | undefined): { batchSize?: number } {
  return internalBatchSize === undefined ? {} : { batchSize: checkCount(internalBatchSize, 'internalBatchSize') };
}
