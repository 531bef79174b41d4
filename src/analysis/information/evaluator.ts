/**
 * The optimisation graph with its gradient, loaded into onnxruntime: given r and one step's
 * noise, the per-layer losses and dL/dr from a single run. What stays fixed for a sentence
 * (x, the unit map, Φ(x), 1/s², the extra feeds repeated per row, scale, λ) is bound once.
 */
import { GradientSession } from '../../engine/gradient-session.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { RuntimeOptions } from '../../runtime/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import type { InformationGraph } from './graph.js';
import { extraFeeds } from './rows.js';
import type { ResolvedUnits } from './units.js';

export interface Binding {
  x: Tensor;
  units: ResolvedUnits;
  /** Per layer of the graph, in its order: Φ(x) and 1/s², flat, batch axis first. */
  clean: readonly Float32Array[];
  inverseSquare: readonly Float32Array[];
  extra: Feeds;
  scale: number;
  lambda: number;
  noiseSamples: number;
}

export class InformationEvaluator {
  private fixed: Feeds = {};
  private shapes = { r: [0, 0], noise: [0] as number[] };

  private constructor(readonly graph: InformationGraph, private readonly session: GradientSession) {}

  static async create(graph: InformationGraph, runtime: RuntimeOptions = {}): Promise<InformationEvaluator> {
    const session = await GradientSession.create(graph.model, { of: [graph.loss], wrt: [graph.r], seed: 'ones', keep: [graph.losses] }, runtime);
    return new InformationEvaluator(graph, session);
  }

  get layerCount(): number {
    return this.graph.layers.length;
  }

  /** Elements of one noise draw for one layer (the input without its batch axis). */
  get rowSize(): number {
    return this.shapes.noise.slice(2).reduce((a, b) => a * b, 1);
  }

  bind(binding: Binding): void {
    const g = this.graph;
    const L = g.layers.length;
    const { x, units } = binding;
    const map = Tensor.int64(units.shape, Array.from(units.map, (u) => (u < 0 ? units.count : u)));
    this.fixed = {
      [g.x]: x,
      [g.units]: map,
      [g.scale]: Tensor.float32([], [binding.scale]),
      [g.lambda]: Tensor.float32([], [binding.lambda]),
      ...extraFeeds(g.extraInputs, binding.extra, L * binding.noiseSamples),
    };
    g.clean.forEach((name, l) => (this.fixed[name] = new Tensor('float32', [binding.clean[l]!.length], binding.clean[l]!)));
    g.inverseSquare.forEach((name, l) => (this.fixed[name] = new Tensor('float32', [binding.inverseSquare[l]!.length], binding.inverseSquare[l]!)));
    this.shapes = { r: [L, units.count], noise: [1, binding.noiseSamples, ...x.shape.slice(1)] };
  }

  /**
   * Losses [L] and dL/dr [L·U] at r (flat [L·U]) for one step's noise (flat [K·row], shared by the layers). The
   * gradient of layer l's loss lands in row l only: layers share nothing but the run.
   */
  async evaluate(r: Float32Array, noise: Float32Array): Promise<{ losses: Float32Array; gradient: Float32Array }> {
    const g = this.graph;
    if (!this.fixed[g.x]) throw new GlassboxError('bad-state', 'bind a sentence before evaluating');
    const feeds: Feeds = { ...this.fixed, [g.r]: new Tensor('float32', this.shapes.r, r), [g.noise]: new Tensor('float32', this.shapes.noise, noise) };
    // The noise is ours and x was checked once: skip the per-run NaN scan.
    const { outputs, gradients } = await this.session.run(feeds, {}, { allowNaN: true });
    return { losses: outputs[g.losses]!.data as Float32Array, gradient: gradients[g.r]!.data as Float32Array };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
