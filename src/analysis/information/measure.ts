/**
 * The measure: σ and the entropy of every unit of one input, for every requested layer.
 *
 *   const measure = await InformationMeasure.create(model, { input: 'embeddings', layers: ['layer1', 'encoded'] });
 *   const { layers } = await measure.measure({ embeddings: x, extra: { input_ids: ids } }, { samples });
 *   await measure.release();
 *
 * or `information(model, input, options)` for one input. The optimisation graphs (one for all
 * layers, or one per layer with batchLayers false) are built on the first measure and reused
 * for every later input, whatever its length.
 */
import type { Model } from '../../onnx/ir/model.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import { Random } from '../../util/random.js';
import { cutForInformation } from './cut.js';
import { InformationEvaluator } from './evaluator.js';
import { buildInformationGraph } from './graph.js';
import { LayerForward, probeLayouts, type LayerLayout } from './layout.js';
import { normalizer } from './normalizer.js';
import { optimize } from './optimize.js';
import { resolveOptions } from './options.js';
import { axisFirst } from './rows.js';
import { defaultScale } from './scale.js';
import type { InformationInput, InformationOptions, InformationResult, InformationSetup, LayerInformation } from './types.js';
import { defaultUnits, resolveUnits } from './units.js';

interface Group {
  layers: string[];
  evaluator: Promise<InformationEvaluator>;
}

const HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);

export class InformationMeasure {
  /** Optimisation graphs per sharing pattern of the unit map (see graph.ts). */
  private readonly groups = new Map<string, Group[]>();
  private layouts?: Map<string, LayerLayout>;
  /** Why rows cannot be batched, when the layout probe failed (one row per run still works). */
  private unbatchable?: GlassboxError;

  private constructor(
    /** The model cut at the input (its graph input); the layers are its outputs. */
    readonly cut: Model,
    readonly setup: Readonly<InformationSetup>,
    private readonly forward: LayerForward,
  ) {}

  static async create(model: Model, setup: InformationSetup): Promise<InformationMeasure> {
    const { cut } = await cutForInformation(model, setup.input, setup.layers, setup.probe);
    return new InformationMeasure(cut, { ...setup, layers: [...setup.layers] }, await LayerForward.create(cut, setup.input, setup.layers, setup.runtime));
  }

  get layers(): readonly string[] {
    return this.setup.layers;
  }

  /** The layers' values Φ(x) for one input row (batch-1 layout), e.g. to inspect or to compute s. */
  values(input: InformationInput): Promise<Record<string, Tensor>> {
    return this.forward.values(this.checkInput(input.embeddings, 'embeddings'), input.extra ?? {});
  }

  async measure(input: InformationInput, options: InformationOptions = {}): Promise<InformationResult> {
    const o = resolveOptions(options);
    const x = this.checkInput(input.embeddings, 'embeddings');
    const extra = input.extra ?? {};
    const layers = this.setup.layers;
    const clean = await this.forward.values(x, extra);
    for (const layer of layers) {
      if (clean[layer]!.dtype !== 'float32') throw new GlassboxError('bad-option', `layer "${layer}" is ${clean[layer]!.dtype}; only float32 layers can be measured`);
    }
    const batchLayers = this.setup.batchLayers ?? true;
    const layouts = await this.layoutsFor(x, extra, clean, (batchLayers ? layers.length : 1) * o.noiseSamples);
    const units = resolveUnits(options.units ?? defaultUnits(x.shape), x.shape);
    const scale = o.scale ?? defaultScale(x, options.embeddingTable);
    const sampled = await this.sampleValues(options.samples);
    const norms = new Map(layers.map((layer) => [layer, normalizer(layer, clean[layer]!, layouts.get(layer)!.batchAxis, {
      ...(options.s?.[layer] ? { given: options.s[layer] } : {}),
      ...(sampled ? { samples: sampled.map((v) => v[layer]!) } : {}),
    })]));
    for (const name of Object.keys(options.s ?? {})) {
      if (!layers.includes(name)) throw new GlassboxError('bad-option', `s is given for "${name}", which is not a measured layer`);
    }
    const initial = initialR(layers, units.count, o.seed, options.initial);

    const groups = this.groupsFor(layouts, clean, units.shape.map((d) => d === 1));
    const evaluators = await Promise.all(groups.map((g) => g.evaluator));
    const start = performance.now();
    const outcomes = new Map<string, Awaited<ReturnType<typeof optimize>>[number]>();
    for (const [g, group] of groups.entries()) {
      const evaluator = evaluators[g]!;
      evaluator.bind({
        x,
        units,
        clean: group.layers.map((l) => axisFirst(clean[l]!.data as Float32Array, clean[l]!.shape, layouts.get(l)!.batchAxis)),
        inverseSquare: group.layers.map((l) => norms.get(l)!.inverseSquare),
        extra,
        scale,
        lambda: o.lambda,
        noiseSamples: o.noiseSamples,
      });
      const results = await optimize(evaluator, group.layers.map((l) => initial.get(l)!), {
        steps: o.steps,
        lr: o.lr,
        travel: o.travel,
        betas: o.betas,
        scale,
        noiseSamples: o.noiseSamples,
        earlyStop: o.earlyStop,
        // Noise streams per graph, apart from the stream of initial r.
        random: new Random((o.seed * 1_000_003 + 7919 * (g + 1)) >>> 0),
        ...(options.onProgress ? { onWindow: (step: number, losses: number[], active: number) => options.onProgress!({ step, steps: o.steps, layers: group.layers, losses, active }) } : {}),
      });
      group.layers.forEach((l, i) => outcomes.set(l, results[i]!));
    }
    const seconds = (performance.now() - start) / 1000;

    return {
      layers: layers.map((layer): LayerInformation => {
        const out = outcomes.get(layer)!;
        const sigma = Array.from(out.r, (r) => scale / (1 + Math.exp(-r)));
        return {
          layer,
          sigma,
          entropy: sigma.map((s, i) => units.sizes[i]! * (HALF_LOG_2PI_E + Math.log(s))),
          r: Array.from(out.r),
          loss: { first: out.first, best: out.best, windows: [...out.windows] },
          steps: out.steps,
          stopped: out.stopped,
          normalizer: norms.get(layer)!.source,
        };
      }),
      scale,
      lambda: o.lambda,
      lr: o.lr,
      noiseSamples: o.noiseSamples,
      units: units.count,
      unitSizes: units.sizes,
      seconds,
    };
  }

  async release(): Promise<void> {
    const groups = [...this.groups.values()].flat();
    this.groups.clear();
    for (const g of groups) await (await g.evaluator.catch(() => undefined))?.release();
    await this.forward.release();
  }

  private checkInput(x: Tensor, what: string): Tensor {
    const declared = this.cut.graph.inputs.find((i) => i.name === this.setup.input)!;
    if (x.dtype !== 'float32') throw new GlassboxError('bad-input', `${what} must be float32, got ${x.dtype}`);
    if (x.rank !== (declared.shape?.length ?? x.rank) || x.shape[0] !== 1) {
      throw new GlassboxError('bad-input', `${what} must be one row shaped like "${this.setup.input}" [1, ${(declared.shape ?? []).slice(1).join(', ')}], got [${x.shape.join(', ')}]`);
    }
    const data = x.data as Float32Array;
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) throw new GlassboxError('bad-input', `${what} holds ${data[i]} at flat index ${i}`);
    return x;
  }

  private async layoutsFor(x: Tensor, extra: Feeds, clean: Record<string, Tensor>, rows: number): Promise<Map<string, LayerLayout>> {
    if (!this.layouts) {
      try {
        this.layouts = new Map((await probeLayouts(this.forward, x, extra, clean)).map((l) => [l.layer, l]));
      } catch (error) {
        if (!(error instanceof GlassboxError) || error.code !== 'not-applicable') throw error;
        // One row per run needs no batch axis: the graph then reads each layer as it is.
        this.unbatchable = error;
        this.layouts = new Map(this.setup.layers.map((layer) => [layer, { layer, batchAxis: 0 }]));
      }
    }
    if (this.unbatchable && rows > 1) throw this.unbatchable;
    return this.layouts;
  }

  private groupsFor(layouts: Map<string, LayerLayout>, clean: Record<string, Tensor>, shared: boolean[]): Group[] {
    const key = shared.map(Number).join('');
    let groups = this.groups.get(key);
    if (!groups) {
      const layers = this.setup.layers;
      const sets = (this.setup.batchLayers ?? true) ? [layers] : layers.map((l) => [l]);
      groups = sets.map((set) => {
        const graph = buildInformationGraph(this.cut, this.setup.input, set.map((layer) => ({ layer, batchAxis: layouts.get(layer)!.batchAxis, rank: clean[layer]!.rank })), shared);
        const evaluator = InformationEvaluator.create(graph, this.setup.runtime);
        evaluator.catch(() => undefined); // awaited in measure; no unhandled rejection meanwhile
        return { layers: [...set], evaluator };
      });
      this.groups.set(key, groups);
    }
    return groups;
  }

  private async sampleValues(samples: readonly InformationInput[] | undefined): Promise<Record<string, Tensor>[] | undefined> {
    if (!samples || samples.length === 0) return undefined;
    const out: Record<string, Tensor>[] = [];
    for (const [i, sample] of samples.entries()) out.push(await this.forward.values(this.checkInput(sample.embeddings, `sample ${i}`), sample.extra ?? {}));
    return out;
  }
}

/** σ and entropies of one input for every layer, with a measure built for this call only. */
export async function information(model: Model, input: InformationInput, options: InformationSetup & InformationOptions): Promise<InformationResult> {
  const measure = await InformationMeasure.create(model, options);
  try {
    return await measure.measure(input, options);
  } finally {
    await measure.release();
  }
}

/** r per layer: given, or N(0, 1) draws (the reference's torch.randn init) from the seed, layer by layer. */
function initialR(layers: readonly string[], units: number, seed: number, given: InformationOptions['initial']): Map<string, Float32Array> {
  const random = new Random(seed);
  const out = new Map<string, Float32Array>();
  for (const layer of layers) {
    const draws = random.fill(new Float32Array(units));
    const row = given?.[layer];
    if (row && row.length !== units) throw new GlassboxError('bad-option', `initial r for layer "${layer}" has ${row.length} entries for ${units} units`);
    out.set(layer, row ? Float32Array.from(row) : draws);
  }
  for (const name of Object.keys(given ?? {})) if (!layers.includes(name)) throw new GlassboxError('bad-option', `initial r is given for "${name}", which is not a measured layer`);
  return out;
}
