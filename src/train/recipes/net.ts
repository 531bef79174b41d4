/**
 * The state one recipe build carries: the graph builder, the form (eval or train), the seeded
 * initialiser, and what the RecipeGraph contract lists besides the model (parameters, buffers,
 * dropout masks). Layer helpers (layers.ts) take a Net and return value names.
 */
import { GlassboxError } from '../../util/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import { GraphBuilder } from '../../onnx/builder.js';
import type { AttributeInput } from '../../onnx/ir/attribute.js';
import { Graph } from '../../onnx/ir/graph.js';
import type { Dim } from '../../onnx/ir/value.js';
import type { RecipeContext, RecipeGraph } from '../types.js';
import { Init } from './init.js';

/** ai.onnx opset 17 and IR version 8: what PyTorch 1.13 exports, so every ONNX tool opens it. */
export const RECIPE_OPSET = 17;
export const RECIPE_IR_VERSION = 8;
const FLOAT = 1;

type Attrs = Record<string, AttributeInput | undefined>;

export class Net {
  readonly b: GraphBuilder;
  readonly init: Init;
  readonly parameters: string[] = [];
  readonly buffers: RecipeGraph['buffers'][number][] = [];
  readonly masks: RecipeGraph['masks'][number][] = [];
  private readonly extraOutputs: { name: string; shape: Dim[] }[] = [];
  private readonly constants = new Map<string, string>();
  private readonly scopes: string[] = [];
  private readonly hooks = new Set<string>();

  constructor(readonly recipe: string, readonly form: 'eval' | 'train', seed: number) {
    this.b = new GraphBuilder(new Graph({ name: recipe }));
    this.init = new Init(seed);
  }

  get train(): boolean {
    return this.form === 'train';
  }

  /** Runs `body` with node and value names prefixed by `scope/` (readable graphs in Netron). */
  scope<T>(scope: string, body: () => T): T {
    this.scopes.push(scope);
    this.b.prefix = `${this.scopes.join('/')}/`;
    try {
      return body();
    } finally {
      this.scopes.pop();
      this.b.prefix = this.scopes.length ? `${this.scopes.join('/')}/` : '';
    }
  }

  op(opType: string, inputs: string[], attributes?: Attrs): string {
    return this.b.op(opType, inputs, attributes);
  }

  /** A trainable weight under its stable name. */
  param(name: string, value: Tensor): string {
    this.parameters.push(name);
    return this.b.weight(name, value);
  }

  /** A weight that is state but not trained (BatchNorm running statistics). */
  state(name: string, value: Tensor): string {
    return this.b.weight(name, value);
  }

  /** An int64 1-D constant (axes, shapes, split sizes), shared by value. */
  ints(values: readonly number[]): string {
    return this.shared(`i:${values.join(',')}`, () => this.b.constant('ints', Tensor.int64([values.length], values)));
  }

  /** A float32 scalar constant, shared by value. */
  scalar(value: number): string {
    return this.shared(`f:${value}`, () => this.b.constant('scalar', Tensor.float32([], [value])));
  }

  /** An int64 scalar constant, shared by value. */
  int(value: number): string {
    return this.shared(`l:${value}`, () => this.b.constant('int', Tensor.int64([], [value])));
  }

  /**
   * Gives a value just produced its hook name ('embeddings', 'layer1', 'pooled', ...) by renaming
   * the producer's output; a value that already has a name (a graph input, another hook) gets an
   * Identity carrying the hook name instead.
   */
  hook(value: string, name: string): string {
    const graph = this.b.graph;
    if (graph.valueNames().has(name)) throw new GlassboxError('bad-model', `the hook name "${name}" is already used`);
    const producer = graph.nodes.find((n) => n.outputs.includes(value));
    const renamable = producer && !this.hooks.has(value) && !graph.nodes.some((n) => n.inputs.includes(value));
    this.hooks.add(name);
    if (!renamable) return this.b.op('Identity', [value], {}, { outputs: [this.b.reserve(name)], name: `${name}/Identity` })[0]!;
    producer.outputs[producer.outputs.indexOf(value)] = this.b.reserve(name);
    return name;
  }

  /**
   * Train form: a dropout mask input named `dropout.<where>` ([shape], 1/keep where kept, 0
   * elsewhere, fed by the trainer) multiplied in. Eval form, or p = 0: the value itself. No RandomUniform: feeding the
   * masks keeps runs deterministic and resumable.
   */
  dropout(x: string, where: string, p: number, shape: Dim[]): string {
    if (!this.train || p <= 0) return x;
    if (!(p < 1)) throw new GlassboxError('bad-config', `dropout ${p} must be in [0, 1)`);
    const name = this.b.input(`dropout.${where}`, 'float32', shape);
    this.masks.push({ name, shape, keep: 1 - p });
    return this.op('Mul', [x, name]);
  }

  /** Train form: a graph output `from` that updates buffer `name` by momentum. */
  bufferUpdate(name: string, from: string, momentum: number, shape: Dim[]): void {
    this.buffers.push({ name, from, momentum });
    this.extraOutputs.push({ name: from, shape });
  }

  /** Declares 'logits' and the buffer outputs and wraps the graph as an opset-17 model. */
  finish(logits: string, shape: Dim[], context: RecipeContext, config: object): RecipeGraph {
    if (logits !== 'logits') throw new GlassboxError('bad-model', `the recipe's output must be named "logits", not "${logits}"`);
    this.b.output('logits', { elemType: FLOAT, shape });
    for (const o of this.extraOutputs) this.b.output(o.name, { elemType: FLOAT, shape: o.shape });
    const model = this.b.model({ opset: RECIPE_OPSET, irVersion: RECIPE_IR_VERSION, producerName: 'glassbox' });
    model.docString = `glassbox recipe "${this.recipe}" (${this.form} form)`;
    model.metadataProps = [
      { key: 'glassbox.recipe', value: this.recipe },
      { key: 'glassbox.form', value: this.form },
      { key: 'glassbox.config', value: JSON.stringify(config) },
      { key: 'glassbox.seed', value: String(context.seed) },
    ];
    return { model, parameters: [...this.parameters], buffers: this.train ? [...this.buffers] : [], masks: this.train ? [...this.masks] : [] };
  }

  private shared(key: string, make: () => string): string {
    let name = this.constants.get(key);
    if (!name) {
      // Constants are model-wide: name them outside any scope.
      const prefix = this.b.prefix;
      this.b.prefix = '';
      name = make();
      this.b.prefix = prefix;
      this.constants.set(key, name);
    }
    return name;
  }
}
