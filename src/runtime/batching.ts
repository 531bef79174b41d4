import { GlassboxError } from '../util/errors.js';
import { formatShape } from '../tensor/shape.js';
import { concatBatch, type Tensor } from '../tensor/tensor.js';
import type { Feeds } from './feeds.js';
import type { RunOptions, Session } from './session.js';

/** Activation memory one chunk may use when nothing else is said: 512 MiB. */
export const DEFAULT_MEMORY_BUDGET = 512 * 1024 * 1024;

export interface BatchOptions {
  /** Rows per run. Overrides the memory budget. */
  batchSize?: number;
  /** Bytes the intermediate values of one chunk may take (default DEFAULT_MEMORY_BUDGET). */
  memoryBudget?: number;
  /** Intermediate bytes per batch row (from probeShapes); without it, everything runs in one chunk. */
  bytesPerSample?: number;
  /** Called after each chunk with rows done and rows in all. */
  onProgress?: (done: number, total: number) => void;
}

/** Rows per chunk for a given per-row cost under a budget (at least 1). */
export function chunkSize(rows: number, options: BatchOptions): number {
  if (options.batchSize !== undefined) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new GlassboxError('bad-option', `batch size must be a positive integer, got ${options.batchSize}`);
    return Math.min(rows, options.batchSize);
  }
  if (!options.bytesPerSample) return rows;
  const budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  return Math.max(1, Math.min(rows, Math.floor(budget / options.bytesPerSample)));
}

/**
 * Runs a session over feeds split along axis 0 and concatenates the outputs, so that large
 * batches fit a memory budget. Inputs whose declared first dim is static are passed whole to
 * every chunk; all others must agree on their number of rows.
 */
export async function runBatched(session: Session, feeds: Feeds, options: RunOptions & BatchOptions = {}): Promise<Record<string, Tensor>> {
  const batched = session.inputs.filter((i) => typeof i.shape?.[0] !== 'number').map((i) => i.name).filter((n) => n in feeds);
  if (batched.length === 0) return session.run(feeds, options);
  const rows = feeds[batched[0]!]!.shape[0];
  if (rows === undefined) throw new GlassboxError('bad-input', `input "${batched[0]}" is a scalar and cannot be split into batches`);
  for (const name of batched) {
    if (feeds[name]!.shape[0] !== rows) {
      throw new GlassboxError('bad-input', `inputs "${batched[0]}" and "${name}" have different batch sizes (${rows} and ${feeds[name]!.shape[0]})`);
    }
  }
  const size = chunkSize(rows, options);
  if (size >= rows) {
    const out = await session.run(feeds, options);
    options.onProgress?.(rows, rows);
    return out;
  }
  const parts: Record<string, Tensor>[] = [];
  for (let start = 0; start < rows; start += size) {
    const end = Math.min(rows, start + size);
    const chunk: Feeds = { ...feeds };
    for (const name of batched) chunk[name] = feeds[name]!.sliceBatch(start, end);
    const out = await session.run(chunk, options);
    for (const [name, tensor] of Object.entries(out)) {
      if (tensor.shape[0] !== end - start) {
        throw new GlassboxError('bad-output', `output "${name}" has shape ${formatShape(tensor.shape)}, which does not follow the batch (${end - start} rows); run it unbatched`);
      }
    }
    parts.push(out);
    options.onProgress?.(end, rows);
  }
  return Object.fromEntries(Object.keys(parts[0]!).map((name) => [name, concatBatch(parts.map((p) => p[name]!))]));
}
