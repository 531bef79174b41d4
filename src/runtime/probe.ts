import { GlassboxError } from '../util/errors.js';
import { bytesPerElement, dtypeToOnnx } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { cloneModel } from '../onnx/edit/clone.js';
import { exposeOutputs } from '../onnx/edit/expose.js';
import type { Model } from '../onnx/ir/model.js';
import type { Dim, ValueInfo } from '../onnx/ir/value.js';
import type { RuntimeOptions } from './options.js';
import { batchSymbolOf, otherSymbolicDims, sampleFeeds } from './sample-feeds.js';
import { Session } from './session.js';

export interface ProbeOptions {
  /** Sizes for symbolic input dims by name (e.g. { seq: 16 }); the batch dim is always varied. */
  dims?: Record<string, number>;
  runtime?: RuntimeOptions;
  seed?: number;
}

export interface ProbeReport {
  /** Element type and shape of every node output; dims that changed with the inputs are symbolic. */
  values: Map<string, ValueInfo>;
  /** Bytes of all intermediate values per batch element (what one more sample costs when everything is kept). */
  bytesPerSample: number;
  /** Bytes of all intermediate values that do not grow with the batch. */
  fixedBytes: number;
  /** Symbol used for the batch dimension, or undefined when the model has a fixed batch. */
  batchSymbol: string | undefined;
}

/** Ops whose outputs are sequences or maps, which cannot be fetched as tensors. */
const NON_TENSOR_OPS = new Set(['SequenceConstruct', 'SequenceEmpty', 'SequenceInsert', 'SequenceErase', 'SplitToSequence', 'Optional', 'OptionalGetElement', 'ZipMap']);

/**
 * Finds every intermediate shape by running the model (all values exposed) at batch sizes 2 and
 * 3 — never 1, which is indistinguishable from broadcasting — and, when inputs have other
 * symbolic dims, once more with those changed. Dims that move are marked symbolic.
 */
export async function probeShapes(model: Model, options: ProbeOptions = {}): Promise<ProbeReport> {
  const probeModel = cloneModel(model);
  const names = probeModel.graph.nodes.filter((n) => !NON_TENSOR_OPS.has(n.opType)).flatMap((n) => n.outputs.filter(Boolean));
  exposeOutputs(probeModel, names);
  const inputs = probeModel.graph.feedInputs;
  const batchSymbol = batchSymbolOf(inputs);
  const otherSymbols = otherSymbolicDims(inputs);
  const session = await Session.create(probeModel, options.runtime);
  try {
    const run = async (batch: number, alternate: boolean): Promise<Record<string, Tensor>> => {
      const feeds = sampleFeeds(inputs, { batch, alternate, ...(options.dims ? { dims: options.dims } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) });
      try {
        return await session.run(feeds, { outputs: names });
      } catch (error) {
        const sizes = Object.entries(feeds).map(([k, t]) => `${k}${JSON.stringify(t.shape)}`).join(', ');
        throw new GlassboxError('probe-failed', `could not run the model to find its shapes with inputs ${sizes}; give sizes for its symbolic dims (e.g. --dim ${otherSymbols[0] ?? 'name'}=N): ${(error as Error).message}`);
      }
    };
    const sizes = (alternate: boolean): number[] => {
      const feeds = sampleFeeds(inputs, { batch: 2, alternate, ...(options.dims ? { dims: options.dims } : {}) });
      return otherSymbols.length === 1 ? symbolSizes(inputs, feeds, otherSymbols[0]!) : [];
    };
    const a = await run(2, false);
    const b = batchSymbol === undefined ? a : await run(3, false);
    const c = otherSymbols.length > 0 ? await run(2, true) : a;
    // A dim is named after an input symbol only when it equals that symbol's size in every run.
    const [sizeA, sizeC] = [sizes(false), sizes(true)];
    const values = new Map<string, ValueInfo>();
    let perSample = 0;
    let fixed = 0;
    for (const name of names) {
      const [ta, tb, tc] = [a[name]!, b[name]!, c[name]!];
      const shape: Dim[] = ta.shape.map((d, i) => {
        const byBatch = tb.shape[i] !== d;
        const byOther = tc.shape[i] !== d;
        if (byBatch && !byOther && d === 2 && tb.shape[i] === 3) return batchSymbol!;
        if (byOther && !byBatch && sizeA.includes(d) && sizeC.includes(tc.shape[i]!)) return otherSymbols[0]!;
        return byBatch || byOther ? null : d;
      });
      if (ta.rank !== tb.rank || ta.rank !== tc.rank) continue; // rank itself varies: leave unknown
      values.set(name, { name, elemType: dtypeToOnnx(ta.dtype), shape });
      const bytes = ta.dtype === 'string' ? 0 : bytesPerElement(ta.dtype);
      perSample += Math.max(0, tb.size - ta.size) * bytes;
      fixed += ta.size * bytes;
    }
    return { values, bytesPerSample: perSample, fixedBytes: Math.max(0, fixed - 2 * perSample), batchSymbol };
  } finally {
    await session.release();
  }
}

/** The sizes the feeds gave to input dims named `symbol`. */
function symbolSizes(inputs: readonly ValueInfo[], feeds: Record<string, Tensor>, symbol: string): number[] {
  const out: number[] = [];
  for (const input of inputs) {
    input.shape?.forEach((d, axis) => {
      if (d === symbol || `${input.name}[${axis}]` === symbol) out.push(feeds[input.name]!.shape[axis]!);
    });
  }
  return out;
}
