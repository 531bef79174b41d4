import type ort from 'onnxruntime-node';

export interface RuntimeOptions {
  /** Threads used inside one operator (onnxruntime's intra-op pool). Default: onnxruntime's choice (all cores). */
  threads?: number;
  /**
   * Bit-identical results from run to run: one thread, sequential execution. Costs speed;
   * without it onnxruntime may split reductions across threads in a varying order.
   */
  deterministic?: boolean;
  /** onnxruntime graph optimisation level. Default 'all'. */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** onnxruntime's memory-pattern planning (default off: see ortSessionOptions). */
  memoryPattern?: boolean;
  /** onnxruntime graph transformers to switch off by name (besides the ones glassbox always avoids). */
  disabledOptimizers?: readonly string[];
  /**
   * Path prefix for onnxruntime's profile: each session writes the time of every node run
   * (Chrome trace JSON, `<prefix>_<date>.json`) when it is released. For finding where time goes.
   */
  profile?: string;
}

/**
 * onnxruntime graph transformers that mishandle values glassbox exposes as extra outputs.
 * GatherToSliceFusion rewrites Range+Gather into Slice and drops the Range even when its
 * output is a graph output; onnxruntime-node 1.30 then segfaults converting the missing output
 * (seen when probing a PyTorch Transformer's positional ids).
 */
const DISABLED_OPTIMIZERS = ['GatherToSliceFusion'];

export function ortSessionOptions(options: RuntimeOptions): ort.InferenceSession.SessionOptions {
  const out: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: options.optimization ?? 'all',
    executionMode: 'sequential',
    // onnxruntime's memory pattern pre-plans one block for every intermediate of a run; on large
    // backward graphs it doubled peak memory (Transformer IG-50 at sequence 512: 2.9 GB vs
    // 1.5 GB without it) at no gain in speed (BENCHMARKS.md).
    enableMemPattern: options.memoryPattern ?? false,
    logSeverityLevel: 3,
    extra: {
      optimization: { disable_specified_optimizers: [...DISABLED_OPTIMIZERS, ...(options.disabledOptimizers ?? [])].join(';') },
      session: { 'intra_op.allow_spinning': '0' },
    },
  };
  if (options.profile !== undefined) Object.assign(out, { enableProfiling: true, profileFilePrefix: options.profile });
  if (options.deterministic) {
    out.intraOpNumThreads = 1;
    out.interOpNumThreads = 1;
  } else if (options.threads !== undefined) {
    out.intraOpNumThreads = options.threads;
  }
  return out;
}

/** A stable key for caching sessions per option set. */
export function optionsKey(options: RuntimeOptions): string {
  return JSON.stringify([options.threads ?? 0, options.deterministic ?? false, options.optimization ?? 'all', options.memoryPattern ?? false, options.disabledOptimizers ?? [], options.profile ?? null]);
}
