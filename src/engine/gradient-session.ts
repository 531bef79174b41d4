import { GlassboxError } from '../util/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { gradientGraphs } from '../autodiff/cache.js';
import type { GradientGraph, GradientRequest } from '../autodiff/gradients.js';
import { RECURRENT_OPS } from '../autodiff/lower/index.js';
import { cloneModel } from '../onnx/edit/clone.js';
import type { Model } from '../onnx/ir/model.js';
import type { Dim } from '../onnx/ir/value.js';
import { inferShapes, type SymbolTable } from '../onnx/shapes/index.js';
import type { Feeds } from '../runtime/feeds.js';
import type { RuntimeOptions } from '../runtime/options.js';
import { Session } from '../runtime/session.js';

/**
 * onnxruntime 1.30's TransposeOptimizer produces an invalid graph ("Node input '<node name>' is
 * not a graph input...") on some backward graphs where a Pad sits between Transposes (seen on
 * second-order ConvTranspose gradients), so gradient graphs run without it.
 */
const GRADIENT_GRAPH_DISABLED = ['TransposeOptimizer'];

export interface GradientResult {
  /** Forward values kept by the request (the `of` values by default). */
  outputs: Record<string, Tensor>;
  /** Gradient per `wrt` value, shaped like it. */
  gradients: Record<string, Tensor>;
}

interface Built {
  graph: GradientGraph;
  session: Session;
}

/**
 * A forward+backward graph loaded into onnxruntime. `run` takes the model's feeds and one seed
 * per `of` value (the vector of the vector-Jacobian product) and returns both passes' results
 * from a single run. Models whose LSTM/GRU/RNN nodes run over a symbolic sequence length get
 * one graph per length, built on first use.
 */
export class GradientSession {
  private readonly built = new Map<number, Promise<Built>>();

  private constructor(
    private readonly model: Model,
    private readonly request: GradientRequest,
    private readonly runtime: RuntimeOptions,
    /** Symbolic sequence dims of recurrent nodes, with the symbols to evaluate them. */
    private readonly sequence: { dims: Dim[]; symbols: SymbolTable } | undefined,
  ) {}

  /** `model` must be prepared (canonical, with shapes): see prepareModel. */
  static async create(model: Model, request: GradientRequest, runtime: RuntimeOptions = {}): Promise<GradientSession> {
    const session = new GradientSession(model, request, runtime, request.sequenceLength === undefined ? symbolicSequence(model) : undefined);
    if (!session.sequence) await session.build(request.sequenceLength ?? 0);
    return session;
  }

  /** The gradient graph used for feeds of this shape (seed input and gradient output names). */
  async graphFor(feeds: Feeds = {}): Promise<GradientGraph> {
    return (await this.build(this.lengthOf(feeds))).graph;
  }

  async run(feeds: Feeds, seeds: Record<string, Tensor> = {}, options: { allowNaN?: boolean } = {}): Promise<GradientResult> {
    const { graph, session } = await this.build(this.lengthOf(feeds));
    const all: Feeds = { ...feeds };
    for (const [of, input] of Object.entries(graph.seeds)) {
      const seed = seeds[of];
      if (!seed) throw new GlassboxError('bad-input', `a seed for "${of}" is needed (a tensor of its shape, e.g. a one-hot row for a target class)`);
      all[input] = seed;
    }
    const names = [...graph.outputs, ...Object.values(graph.gradients)];
    const result = await session.run(all, { outputs: names, ...options });
    return {
      outputs: Object.fromEntries(graph.outputs.map((n) => [n, result[n]!])),
      gradients: Object.fromEntries(Object.entries(graph.gradients).map(([wrt, out]) => [wrt, result[out]!])),
    };
  }

  async release(): Promise<void> {
    const all = [...this.built.values()];
    this.built.clear();
    for (const entry of all) await (await entry).session.release();
  }

  private build(length: number): Promise<Built> {
    let entry = this.built.get(length);
    if (!entry) {
      entry = (async () => {
        const graph = gradientGraphs.get(this.model, { ...this.request, ...(length > 0 ? { sequenceLength: length } : {}) });
        const runtime = { ...this.runtime, disabledOptimizers: [...(this.runtime.disabledOptimizers ?? []), ...GRADIENT_GRAPH_DISABLED] };
        return { graph, session: await Session.create(graph.model, runtime) };
      })();
      entry.catch(() => this.built.delete(length));
      this.built.set(length, entry);
    }
    return entry;
  }

  /** The sequence length recurrent nodes see for these feeds (0 when no node needs one). */
  private lengthOf(feeds: Feeds): number {
    if (!this.sequence) return this.request.sequenceLength ?? 0;
    const bindings: Record<string, number> = {};
    for (const input of this.model.graph.feedInputs) {
      input.shape?.forEach((d, axis) => {
        const size = feeds[input.name]?.shape[axis];
        if (typeof d === 'string' && size !== undefined) bindings[d] = size;
      });
    }
    const lengths = new Set(this.sequence.dims.map((d) => this.sequence!.symbols.evaluate(d, bindings)));
    const [length] = lengths;
    if (lengths.size !== 1 || length === undefined) {
      throw new GlassboxError('bad-input', 'cannot tell the sequence length of the recurrent layers from the inputs; give it explicitly (sequenceLength)');
    }
    return length;
  }
}

/** The symbolic sequence dims of the model's LSTM/GRU/RNN inputs, if any. */
function symbolicSequence(model: Model): { dims: Dim[]; symbols: SymbolTable } | undefined {
  const recurrent = model.graph.nodes.filter((n) => RECURRENT_OPS.has(n.opType));
  if (recurrent.length === 0) return undefined;
  const copy = cloneModel(model);
  const { symbols } = inferShapes(copy);
  const dims = recurrent.map((n) => copy.graph.typeOf(n.inputs[0]!)?.shape?.[n.int('layout', 0) === 0 ? 0 : 1] ?? null);
  return dims.every((d) => typeof d === 'number') ? undefined : { dims, symbols };
}
