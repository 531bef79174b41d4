import { GlassboxError } from '../util/errors.js';
import { dtypeToOnnx, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AttributeInput } from './ir/attribute.js';
import { Graph } from './ir/graph.js';
import { Model } from './ir/model.js';
import { Node } from './ir/node.js';
import { tensorToProto } from './ir/tensor-proto.js';
import type { Dim, ValueInfo } from './ir/value.js';

export interface OpOptions {
  /** Number of outputs (default 1) or their names (new, or obtained from fresh()). */
  outputs?: number | string[];
  name?: string;
  domain?: string;
}

/**
 * Writes ONNX graphs from TypeScript: model recipes, test models, and the nodes that graph
 * rewrites (normalisation, gradients) add to an existing graph. Values are referred to by name;
 * fresh names never collide with names already in the graph.
 *
 *   const b = new GraphBuilder();
 *   const x = b.input('x', 'float32', ['batch', 4]);
 *   const y = b.op('Relu', [b.op('MatMul', [x, b.constant('w', weights)])]);
 *   b.output(y);
 *   const model = b.model({ opset: 21 });
 */
export class GraphBuilder {
  readonly graph: Graph;
  private readonly used: Set<string>;
  /** Names fresh() handed out that no value or node carries yet. */
  private readonly pending = new Set<string>();
  private counter = 0;
  /** Prepended to every fresh name (graph rewrites name their nodes after what they rewrite). */
  prefix: string;

  constructor(graph: Graph = new Graph({ name: 'glassbox' }), prefix = '') {
    this.prefix = prefix;
    this.graph = graph;
    this.used = graph.valueNames();
    for (const node of graph.nodes) if (node.name) this.used.add(node.name);
  }

  /** A name not used anywhere in the graph yet, derived from `hint`. */
  fresh(hint: string): string {
    let name = `${this.prefix}${hint}`;
    while (this.used.has(name)) name = `${this.prefix}${hint}_${++this.counter}`;
    this.used.add(name);
    this.pending.add(name);
    return name;
  }

  /** Reserve a name chosen elsewhere so fresh() never hands it out. */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  input(name: string, dtype: DType, shape: Dim[]): string {
    this.claim(name);
    this.graph.inputs.push({ name, elemType: dtypeToOnnx(dtype), shape });
    return name;
  }

  /** Adds a constant tensor (an initializer) and returns its name. */
  constant(hint: string, tensor: Tensor): string {
    const name = this.fresh(hint);
    this.graph.initializers.set(name, tensorToProto(name, tensor));
    return name;
  }

  /** Adds an initializer under exactly this name (weights that checkpoints refer to). */
  weight(name: string, tensor: Tensor): string {
    this.claim(name);
    this.graph.initializers.set(name, tensorToProto(name, tensor));
    return name;
  }

  /** Appends a node; returns its output name (or names, when several are asked for). */
  op(opType: string, inputs: (string | undefined)[], attributes?: Record<string, AttributeInput | undefined>, options?: OpOptions & { outputs?: undefined }): string;
  op(opType: string, inputs: (string | undefined)[], attributes: Record<string, AttributeInput | undefined> | undefined, options: OpOptions & { outputs: number | string[] }): string[];
  op(opType: string, inputs: (string | undefined)[], attributes: Record<string, AttributeInput | undefined> = {}, options: OpOptions = {}): string | string[] {
    // Explicit output names are either new or were handed out by fresh() for this purpose.
    const outputs = Array.isArray(options.outputs)
      ? options.outputs.map((n) => this.reserve(n))
      : Array.from({ length: options.outputs ?? 1 }, (_, i) => this.fresh(`${opType}_out${i === 0 ? '' : i}`));
    const node = new Node({
      opType,
      inputs: inputs.map((i) => i ?? ''),
      outputs,
      name: this.fresh(options.name ?? opType),
      attributes,
      ...(options.domain !== undefined ? { domain: options.domain } : {}),
    });
    this.graph.nodes.push(node);
    return options.outputs === undefined ? outputs[0]! : outputs;
  }

  output(name: string, info: Omit<ValueInfo, 'name'> = {}): string {
    this.graph.outputs.push({ name, ...info });
    return name;
  }

  /** Wraps the graph in a model importing the given ai.onnx opset (default 21, the canonical form). */
  model(options: { opset?: number; irVersion?: number; producerName?: string } = {}): Model {
    return new Model({ graph: this.graph, irVersion: options.irVersion ?? 10, opsets: { '': options.opset ?? 21 }, producerName: options.producerName ?? 'glassbox' });
  }

  private claim(name: string): string {
    if (this.pending.delete(name)) return name;
    if (this.used.has(name)) throw new GlassboxError('bad-model', `the name "${name}" is already used in this graph`);
    this.used.add(name);
    return name;
  }
}
