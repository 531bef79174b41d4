import { GlassboxError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { isFloat, dtypeFromOnnx } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { concatBatch, type Tensor } from '../tensor/tensor.js';
import type { RuleSet } from '../autodiff/gradients.js';
import { cloneModel } from '../onnx/edit/clone.js';
import { cutAt } from '../onnx/edit/cut.js';
import { exposeOutputs } from '../onnx/edit/expose.js';
import type { Model } from '../onnx/ir/model.js';
import type { Dim } from '../onnx/ir/value.js';
import { DEFAULT_MEMORY_BUDGET } from '../runtime/batching.js';
import type { Feeds } from '../runtime/feeds.js';
import type { RuntimeOptions } from '../runtime/options.js';
import type { ProbeOptions } from '../runtime/probe.js';
import { Session } from '../runtime/session.js';
import { GradientSession } from '../engine/gradient-session.js';
import { bytesPerRow } from '../engine/memory.js';
import { prepareModel } from '../engine/prepare.js';
import { onesSeed, targetSeed } from '../engine/seeds.js';
import type { Target } from './types.js';
import { expandRows } from './util/tensor-ops.js';

export interface ExplainableOptions {
  /** The output to explain (default: the first graph output). */
  output?: string;
  /**
   * The tensor attributions are for: a float graph input (default: the only one), or an
   * intermediate tensor — an embedding output, typically — at which the model is cut, so that
   * it becomes the input.
   */
  input?: string;
  runtime?: RuntimeOptions;
  /** Bytes one internal run may use for its intermediate values (default 512 MiB). */
  memoryBudget?: number;
  probe?: ProbeOptions;
}

/** A vector-Jacobian product request: the gradient of ⟨seed, of⟩ w.r.t. `wrt`. */
export interface VjpRequest {
  /** Default: the explained output. */
  of?: string;
  /** Default: the attributed input. An intermediate tensor gives its gradient (the graph is not cut). */
  wrt?: string;
  /** Target classes of `of`, or a function giving the seed for a chunk's `of` shape and rows. */
  target?: Target;
  seed?: (shape: readonly number[], rows: readonly number[]) => Tensor;
  /** Modified backward rules (DeepLift, guided backpropagation). */
  rules?: RuleSet;
  /** Intermediate values to return as well (e.g. the layer whose gradient is taken). */
  keep?: readonly string[];
  /** Rows per run (default: from the memory budget). */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A model as attribution methods see it (Captum's forward_func): batched forward runs and
 * vector-Jacobian products with respect to one input tensor, chunked along the batch under a
 * memory budget. Other inputs the model needs (token ids that set a padding mask, say) are
 * passed as `extra` feeds: a row for every input row, or one row broadcast to all.
 */
export class Explainable {
  private readonly sessions = new Map<string, Promise<GradientSession>>();
  private forwardSession?: Promise<Session>;
  private readonly rowCost = new Map<string, number>();

  private constructor(
    /** The prepared model, cut at the attributed input when that is an intermediate tensor. */
    readonly model: Model,
    /** The prepared model before any cut (to compute the attributed tensor from raw inputs). */
    readonly full: Model,
    readonly input: string,
    readonly output: string,
    /** The options it was created with (cut variants inherit them). */
    readonly options: ExplainableOptions,
  ) {}

  static async create(source: Model, options: ExplainableOptions = {}): Promise<Explainable> {
    const { model: full } = await prepareModel(source, options.probe ? { probeOptions: options.probe } : {});
    const graph = full.graph;
    const output = options.output ?? graph.outputs[0]?.name;
    const values = graph.valueNames();
    if (!output || !values.has(output)) throw new GlassboxError('bad-tensor-name', `the model has no output "${output}"${didYouMean(output ?? '', graph.outputs.map((o) => o.name))}`);
    const floatInputs = graph.feedInputs.filter((i) => i.elemType !== undefined && isFloat(dtypeFromOnnx(i.elemType) ?? 'int64'));
    const input = options.input ?? (floatInputs.length === 1 ? floatInputs[0]!.name : undefined);
    if (!input) {
      throw new GlassboxError('bad-input', floatInputs.length === 0
        ? 'the model has no float input to attribute to; name a tensor to attribute to (an embedding output, e.g. --input-tensor embeddings)'
        : `the model has several float inputs (${floatInputs.map((i) => `"${i.name}"`).join(', ')}); say which one to attribute to`);
    }
    if (!values.has(input)) throw new GlassboxError('bad-tensor-name', `the model has no tensor named "${input}"${didYouMean(input, values)}`);
    const isInput = graph.feedInputs.some((i) => i.name === input);
    let model = full;
    if (!isInput) {
      model = cutAt(cloneModel(full), [input]);
      model.graph.outputs = [{ ...(full.graph.typeOf(output) ?? { name: output }), name: output }];
      // Inputs only the cut-off part read (an MLP's raw input once cut at a hidden layer) are
      // no longer needed; token ids that a padding mask still reads stay.
      const read = new Set(model.graph.nodes.flatMap((n) => n.inputs));
      model.graph.inputs = model.graph.inputs.filter((i) => i.name === input || read.has(i.name));
    }
    const dtype = dtypeFromOnnx(model.graph.typeOf(input)?.elemType ?? 0);
    if (!dtype || !isFloat(dtype)) throw new GlassboxError('bad-input', `"${input}" is ${dtype ?? 'of unknown type'}; attributions need a float tensor (for token ids, attribute to the embedding output)`);
    return new Explainable(model, full, input, output, options);
  }

  /** The same model explained w.r.t. another tensor (a layer: the model is cut there), same options. */
  withInput(input: string): Promise<Explainable> {
    return Explainable.create(this.full, { ...this.options, input, output: this.output });
  }

  /** Rows `vjp` runs at once for this request when no batch size is given (from the memory budget). */
  async rowsPerRun(x: Tensor, request: Pick<VjpRequest, 'of' | 'wrt' | 'rules' | 'keep'> = {}, extra: Feeds = {}): Promise<number> {
    const session = await this.sessionFor(request);
    const graph = await session.graphFor(this.feedsFor(x, extra, 0, Math.min(x.shape[0]!, 1)));
    return Math.max(1, Math.floor(this.budget / this.costPerRow(graph.model, x, extra)));
  }

  /** Declared shape of the attributed tensor (symbols for dims that vary). */
  get inputShape(): Dim[] {
    return [...(this.model.graph.typeOf(this.input)?.shape ?? [])];
  }

  /** Inputs besides the attributed one that a run needs. */
  get extraInputs(): string[] {
    return this.model.graph.feedInputs.map((i) => i.name).filter((n) => n !== this.input);
  }

  /** Computes the attributed tensor from the model's raw inputs (e.g. embeddings from token ids). */
  async inputFrom(feeds: Feeds): Promise<Tensor> {
    if (feeds[this.input]) return feeds[this.input]!;
    const session = await Session.create(exposeOutputs(cloneModel(this.full), [this.input]), this.options.runtime);
    try {
      return (await session.run(feeds, { outputs: [this.input] }))[this.input]!;
    } finally {
      await session.release();
    }
  }

  /** Values of any tensors of the uncut model for raw inputs (layer activations, say). */
  async valuesFrom(feeds: Feeds, names: readonly string[]): Promise<Record<string, Tensor>> {
    const session = await Session.create(exposeOutputs(cloneModel(this.full), names), this.options.runtime);
    try {
      return await session.run(feeds, { outputs: [...names] });
    } finally {
      await session.release();
    }
  }

  /** The output for a batch of inputs. */
  async forward(x: Tensor, extra: Feeds = {}, options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<Tensor> {
    this.forwardSession ??= Session.create(this.model, this.options.runtime);
    const session = await this.forwardSession;
    const rows = x.shape[0]!;
    const size = options.batchSize ?? Math.max(1, Math.floor(this.budget / this.costPerRow(this.model, x, extra)));
    const parts: Tensor[] = [];
    for (let start = 0; start < rows; start += size) {
      const end = Math.min(rows, start + size);
      const out = await session.run(this.feedsFor(x, extra, start, end), { outputs: [this.output], allowNaN: true });
      parts.push(out[this.output]!);
      options.onProgress?.(end, rows);
    }
    return concatBatch(parts);
  }

  /**
   * The gradient of ⟨seed, of⟩ w.r.t. `wrt` for every row of `x` (the output's target classes
   * by default), with the forward values asked for.
   */
  async vjp(x: Tensor, request: VjpRequest = {}, extra: Feeds = {}): Promise<{ gradients: Tensor; values: Record<string, Tensor> }> {
    const of = request.of ?? this.output;
    const wrt = request.wrt ?? this.input;
    const keep = [...new Set([of, ...(request.keep ?? [])])];
    const session = await this.sessionFor(request);
    const rows = x.shape[0]!;
    const graph = await session.graphFor(this.feedsFor(x, extra, 0, Math.min(rows, 1)));
    const size = request.batchSize ?? Math.max(1, Math.floor(this.budget / this.costPerRow(graph.model, x, extra)));
    const gradients: Tensor[] = [];
    const values: Record<string, Tensor[]> = Object.fromEntries(keep.map((k) => [k, []]));
    for (let start = 0; start < rows; start += size) {
      const end = Math.min(rows, start + size);
      const feeds = this.feedsFor(x, extra, start, end);
      const chunkRows = Array.from({ length: end - start }, (_, i) => start + i);
      const seedFor = (shape: readonly number[]): Tensor => {
        if (request.seed) return request.seed(shape, chunkRows);
        const target = Array.isArray(request.target) ? chunkRows.map((r) => (request.target as readonly number[])[r]!) : request.target;
        if (target === undefined) {
          if (sizeOf(shape.slice(1)) !== 1) throw new GlassboxError('bad-target', `"${of}" has ${sizeOf(shape.slice(1))} values per row (shape ${formatShape(shape)}); give a target class`);
          return onesSeed(shape, 'float32');
        }
        return targetSeed(shape, 'float32', target as number | number[], of);
      };
      const result = await session.run(feeds, { [of]: seedFor(await this.shapeOf(of, feeds)) }, { allowNaN: true });
      gradients.push(result.gradients[wrt]!);
      for (const k of keep) values[k]!.push(result.outputs[k]!);
      request.onProgress?.(end, rows);
    }
    return { gradients: concatBatch(gradients), values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, concatBatch(v)])) };
  }

  /** The gradient session for a request (one per of/wrt/keep/rule set, built on first use). */
  private sessionFor(request: Pick<VjpRequest, 'of' | 'wrt' | 'rules' | 'keep'>): Promise<GradientSession> {
    const of = request.of ?? this.output;
    const wrt = request.wrt ?? this.input;
    const keep = [...new Set([of, ...(request.keep ?? [])])];
    const key = JSON.stringify([of, wrt, keep, request.rules?.name ?? null]);
    let entry = this.sessions.get(key);
    if (!entry) {
      entry = GradientSession.create(this.model, { of: [of], wrt: [wrt], keep, ...(request.rules ? { rules: request.rules } : {}) }, this.options.runtime);
      entry.catch(() => this.sessions.delete(key));
      this.sessions.set(key, entry);
    }
    return entry;
  }

  /** Target classes' output values per row (F(x)[target]), for deltas and perturbation methods. */
  static select(outputs: Tensor, target: Target): Float64Array {
    const rows = outputs.shape[0]!;
    const perRow = outputs.size / rows;
    const data = outputs.data as Float32Array;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      if (target === undefined) {
        if (perRow !== 1) throw new GlassboxError('bad-target', `the output has ${perRow} values per row; give a target class`);
        out[r] = data[r]!;
      } else {
        const t = typeof target === 'number' ? target : target[r]!;
        if (!Number.isInteger(t) || t < 0 || t >= perRow) throw new GlassboxError('bad-target', `target ${t} is out of range (the output has classes 0..${perRow - 1})`);
        out[r] = data[r * perRow + t]!;
      }
    }
    return out;
  }

  async release(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of sessions) await (await s).release();
    if (this.forwardSession) await (await this.forwardSession).release();
  }

  private get budget(): number {
    return this.options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  }

  private costPerRow(model: Model, x: Tensor, extra: Feeds): number {
    const key = `${model === this.model ? 'f' : model.graph.nodes.length}:${x.shape.slice(1).join('x')}`;
    let cost = this.rowCost.get(key);
    if (cost === undefined) {
      cost = Math.max(1, bytesPerRow(model, this.feedsFor(x, extra, 0, 1)));
      this.rowCost.set(key, cost);
    }
    return cost;
  }

  /** The output shape for these feeds, from one forward run of the first row (cached by shape). */
  private async shapeOf(of: string, feeds: Feeds): Promise<number[]> {    const rows = feeds[this.input]!.shape[0]!;
    const key = `shape:${of}:${feeds[this.input]!.shape.slice(1).join('x')}`;
    let perRow = this.shapes.get(key);
    if (!perRow) {
      const probe = of === this.output ? await this.forward(feeds[this.input]!.sliceBatch(0, 1), this.sliceExtra(feeds, 0, 1), { batchSize: 1 }) : await this.intermediate(of, feeds);
      perRow = probe.shape.slice(1);
      this.shapes.set(key, perRow);
    }
    return [rows, ...perRow];
  }

  private readonly shapes = new Map<string, number[]>();

  private async intermediate(name: string, feeds: Feeds): Promise<Tensor> {
    const session = await Session.create(exposeOutputs(cloneModel(this.model), [name]), this.options.runtime);
    try {
      return (await session.run(this.sliceExtra(feeds, 0, 1, true), { outputs: [name] }))[name]!;
    } finally {
      await session.release();
    }
  }

  private sliceExtra(feeds: Feeds, start: number, end: number, includeInput = false): Feeds {
    const out: Feeds = {};
    for (const [k, t] of Object.entries(feeds)) {
      if (k === this.input && !includeInput) continue;
      out[k] = t.shape[0]! > 1 ? t.sliceBatch(start, end) : t;
    }
    return out;
  }

  /** Feeds for rows [start, end): the input's rows, and each extra input's rows or its one broadcast row. */
  private feedsFor(x: Tensor, extra: Feeds, start: number, end: number): Feeds {
    const feeds: Feeds = { [this.input]: x.sliceBatch(start, end) };
    for (const name of this.extraInputs) {
      const t = extra[name];
      if (!t) throw new GlassboxError('bad-input', `the model also needs input "${name}"; pass it along (one row, or one per input row)`);
      if (t.shape[0] === x.shape[0]) feeds[name] = t.sliceBatch(start, end);
      else if (t.shape[0] === 1) feeds[name] = expandRows(t, end - start, 'tile');
      else throw new GlassboxError('bad-input', `input "${name}" has ${t.shape[0]} rows; give one row or one per input row (${x.shape[0]})`);
    }
    return feeds;
  }
}


