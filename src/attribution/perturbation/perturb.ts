/**
 * What the perturbation family shares: its options, input checks, and the batched evaluation of
 * many perturbed copies of the input rows through Explainable.forward.
 */
import { GlassboxError } from '../../util/errors.js';
import { allocate } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Explainable } from '../explainable.js';
import type { AttributeOptions, Baselines } from '../types.js';
import { checkCount } from '../util/checks.js';

/** Options every perturbation method takes (Captum's names, camelCase). */
export interface PerturbationOptions extends AttributeOptions {
  /** Other inputs the model reads (token ids for a padding mask): one row, or one per input row. */
  additionalForwardArgs?: Feeds;
  /**
   * Perturbations per forward run, as Captum's perturbations_per_eval: a run holds this many
   * perturbed copies of every input row. Results do not depend on it. Captum's default is 1;
   * left out, glassbox puts as many copies in a run as the memory budget allows.
   * `internalBatchSize`, when given, sets the rows per run instead.
   */
  perturbationsPerEval?: number;
}

/** Options of the methods that replace features by a baseline. */
export interface BaselineOptions extends PerturbationOptions {
  /** The reference each perturbed element takes: 0 (default), a number, or a tensor shaped like the input or one row. */
  baselines?: Baselines;
}

/** Perturbed copies of the input rows, written one at a time on demand (never all at once). */
export interface Perturbations {
  /** How many copies in all. */
  readonly count: number;
  /** The input row copy `k` perturbs (its target and extra feeds are that row's). */
  rowOf(k: number): number;
  /** Writes copy `k` (one row of the input's shape) into `out`. */
  fill(k: number, out: Float32Array): void;
}

/** Bytes of perturbed copies held at once when the rows per run are left to the memory budget. */
const BLOCK_BYTES = 32 * 1024 * 1024;

/** The tensor as float32 (baselines may be given in float64). */
export function asFloat32(t: Tensor): Tensor {
  return t.dtype === 'float32' ? t : new Tensor('float32', t.shape, Float32Array.from(t.toNumbers()));
}

/** Extra feeds must have one row, or one per input row. */
function checkExtra(extra: Feeds | undefined, rows: number): Feeds {
  for (const [name, t] of Object.entries(extra ?? {})) {
    if (t.shape[0] !== 1 && t.shape[0] !== rows) throw new GlassboxError('bad-input', `additional input "${name}" has ${t.shape[0]} rows; give one row, or one per input row (${rows})`);
  }
  return extra ?? {};
}

/** F(x)[target] for every input row. */
export async function rowOutputs(explainable: Explainable, x: Tensor, options: PerturbationOptions): Promise<Float64Array> {
  const outputs = await explainable.forward(x, checkExtra(options.additionalForwardArgs, x.shape[0]!), options.internalBatchSize === undefined ? {} : { batchSize: options.internalBatchSize });
  return Explainable.select(outputs, options.target);
}

/**
 * F(copy)[target of its row] for every perturbed copy. Copies are written in blocks and run
 * through Explainable.forward: `internalBatchSize` rows per run if given, else
 * `perturbationsPerEval` copies of each input row per run if given (Captum's batching), else as
 * many as the memory budget allows. Progress counts copies evaluated.
 */
export async function evaluatePerturbations(explainable: Explainable, x: Tensor, copies: Perturbations, options: PerturbationOptions): Promise<Float64Array> {
  const rows = x.shape[0]!;
  const rowSize = x.size / rows;
  checkCount(options.perturbationsPerEval, 'perturbationsPerEval');
  checkCount(options.internalBatchSize, 'internalBatchSize');
  const runRows = options.internalBatchSize ?? (options.perturbationsPerEval === undefined ? undefined : options.perturbationsPerEval * rows);
  const block = Math.max(1, runRows ?? 0, Math.floor(BLOCK_BYTES / (4 * Math.max(1, rowSize))));
  const extra = checkExtra(options.additionalForwardArgs, rows);
  const values = new Float64Array(copies.count);
  for (let start = 0; start < copies.count; start += block) {
    const end = Math.min(copies.count, start + block);
    const data = new Float32Array((end - start) * rowSize);
    const owners = new Int32Array(end - start);
    for (let k = start; k < end; k++) {
      owners[k - start] = copies.rowOf(k);
      copies.fill(k, data.subarray((k - start) * rowSize, (k - start + 1) * rowSize));
    }
    const batch = new Tensor('float32', [end - start, ...x.shape.slice(1)], data);
    const outputs = await explainable.forward(batch, gatherFeeds(extra, owners), {
      ...(runRows === undefined ? {} : { batchSize: runRows }),
      ...(options.onProgress ? { onProgress: (done: number) => options.onProgress!(start + done, copies.count) } : {}),
    });
    const target = Array.isArray(options.target) ? Array.from(owners, (r) => (options.target as readonly number[])[r]!) : options.target;
    values.set(Explainable.select(outputs, target), start);
  }
  return values;
}

/** Extra feeds for copies owned by `owners`: per-row feeds gathered, one-row feeds left to broadcast. */
function gatherFeeds(extra: Feeds, owners: Int32Array): Feeds {
  const out: Feeds = {};
  for (const [name, t] of Object.entries(extra)) out[name] = t.shape[0] === 1 ? t : gatherRows(t, owners);
  return out;
}

/** Rows `indices` of `t`, any dtype. */
export function gatherRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const per = t.size / t.shape[0]!;
  const out = allocate(t.dtype, indices.length * per);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * per;
    if (Array.isArray(out)) for (let j = 0; j < per; j++) out[i * per + j] = (t.data as string[])[from + j]!;
    else (out as Float32Array).set((t.data as Float32Array).subarray(from, from + per), i * per);
  }
  return new Tensor(t.dtype, [indices.length, ...t.shape.slice(1)], out);
}
