import { GlassboxError } from '../util/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { buildGradientGraph, type GradientGraph, type GradientRequest } from '../autodiff/gradients.js';
import type { Model } from '../onnx/ir/model.js';
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

/**
 * A built forward+backward graph loaded into onnxruntime. `run` takes the model's feeds and one
 * seed per `of` value (the vector of the vector-Jacobian product) and returns both passes'
 * results from a single run.
 */
export class GradientSession {
  private constructor(readonly graph: GradientGraph, private readonly session: Session) {}

  /** `model` must be prepared (canonical, with shapes): see prepareModel. */
  static async create(model: Model, request: GradientRequest, runtime: RuntimeOptions = {}): Promise<GradientSession> {
    const graph = buildGradientGraph(model, request);
    const options = { ...runtime, disabledOptimizers: [...(runtime.disabledOptimizers ?? []), ...GRADIENT_GRAPH_DISABLED] };
    return new GradientSession(graph, await Session.create(graph.model, options));
  }

  get inputs() {
    return this.session.inputs;
  }

  async run(feeds: Feeds, seeds: Record<string, Tensor> = {}, options: { allowNaN?: boolean } = {}): Promise<GradientResult> {
    const all: Feeds = { ...feeds };
    for (const [of, input] of Object.entries(this.graph.seeds)) {
      const seed = seeds[of];
      if (!seed) throw new GlassboxError('bad-input', `a seed for "${of}" is needed (a tensor of its shape, e.g. a one-hot row for a target class)`);
      all[input] = seed;
    }
    const names = [...this.graph.outputs, ...Object.values(this.graph.gradients)];
    const result = await this.session.run(all, { outputs: names, ...options });
    const outputs = Object.fromEntries(this.graph.outputs.map((n) => [n, result[n]!]));
    const gradients = Object.fromEntries(Object.entries(this.graph.gradients).map(([wrt, out]) => [wrt, result[out]!]));
    return { outputs, gradients };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
