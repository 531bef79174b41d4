import { GlassboxError } from '../../util/errors.js';
import type { DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { AttributeInput } from '../ir/attribute.js';
import { dependencies, type Graph } from '../ir/graph.js';
import { Node } from '../ir/node.js';
import { GraphBuilder } from '../builder.js';
import { constantValue } from './constant-value.js';
import { TypeFacts } from './infer.js';
import { int64Tensor } from './int64.js';

/** ai.onnx is spelled '' or 'ai.onnx'; every other domain is left alone. */
export function isOnnxDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/**
 * What a rewrite rule works with: one graph (the main graph or a subgraph) at the model's
 * original opset. New values get names unused anywhere in the model (subgraphs may read outer
 * names, so uniqueness is model-wide); new constants become initializers of this graph.
 */
export class Rewriter {
  readonly builder: GraphBuilder;
  readonly facts: TypeFacts;
  private readonly constants = new Map<string, string>();

  constructor(
    readonly graph: Graph,
    /** The ai.onnx opset the model was written for. */
    readonly opset: number,
    modelNames: ReadonlySet<string>,
    readonly parent?: Rewriter,
  ) {
    this.builder = new GraphBuilder(graph);
    for (const name of modelNames) this.builder.reserve(name);
    this.facts = new TypeFacts(graph, opset, parent?.facts);
  }

  fresh(hint: string): string {
    return this.builder.fresh(hint);
  }

  /** An initializer holding `tensor`; identical small constants are shared within the graph. */
  constant(hint: string, tensor: Tensor): string {
    const key = tensor.size <= 16 && tensor.dtype !== 'string' ? `${tensor.dtype}[${tensor.shape.join(',')}]${Array.from(tensor.data as ArrayLike<number | bigint>, String).join(',')}` : undefined;
    const known = key === undefined ? undefined : this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.builder.constant(hint, tensor);
    if (key !== undefined) this.constants.set(key, name);
    return name;
  }

  int64s(hint: string, values: readonly number[]): string {
    return this.constant(hint, int64Tensor(values));
  }

  int64Scalar(hint: string, value: number): string {
    return this.constant(hint, int64Tensor([value], []));
  }

  /**
   * A scalar of the element type of `like`: an initializer of that type when it is known,
   * otherwise a float32 initializer passed through CastLike (resolved at run time).
   */
  scalarLike(hint: string, value: number, like: string): string {
    const dtype = this.facts.dtype(like);
    if (dtype === 'float32' || dtype === 'float64') return this.constant(hint, new Tensor(dtype, [], dtype === 'float32' ? Float32Array.of(value) : Float64Array.of(value)));
    return this.op('CastLike', [this.constant(hint, Tensor.float32([], [value])), like]);
  }

  /** Appends a node with fresh output names; returns its first output. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeInput | undefined> = {}): string {
    return this.builder.op(opType, inputs, attributes);
  }

  /** Appends a node writing to existing names (a rewrite keeps the names of the values it replaces). */
  opInto(opType: string, inputs: string[], outputs: string[], attributes: Record<string, AttributeInput | undefined> = {}): Node {
    const node = new Node({ opType, inputs, outputs, name: this.fresh(opType), attributes });
    this.graph.nodes.push(node);
    return node;
  }

  /** The value of a constant (initializer or Constant node, here or in an enclosing graph). */
  constantValue(name: string): Tensor | undefined {
    if (!name) return undefined;
    const init = this.graph.initializers.get(name);
    if (init) return this.graph.inputs.some((i) => i.name === name) ? undefined : constantValue.ofInitializer(init);
    const producer = this.graph.nodes.find((n) => n.outputs.includes(name));
    if (producer) return producer.opType === 'Constant' && isOnnxDomain(producer.domain) ? constantValue.ofNode(producer) : undefined;
    if (this.graph.inputs.some((i) => i.name === name)) return undefined;
    return this.parent?.constantValue(name);
  }

  /** Constant numbers of a value, or undefined when it is not a constant. */
  constantNumbers(name: string): number[] | undefined {
    const tensor = this.constantValue(name);
    return tensor && tensor.dtype !== 'string' ? tensor.toNumbers() : undefined;
  }

  /** Whether anything reads the value: a node here, a subgraph capturing it, or a graph output. */
  isUsed(name: string): boolean {
    if (!name) return false;
    if (this.graph.outputs.some((o) => o.name === name)) return true;
    return this.graph.nodes.some((n) => dependencies(n).includes(name));
  }

  dtype(name: string): DType | undefined {
    return this.facts.dtype(name);
  }

  fail(node: Node, why: string): GlassboxError {
    return new GlassboxError('unsupported-op', `${node.describe()} (opset ${this.opset}): ${why}`);
  }
}

/** One rewrite: the op types it handles and what it does to such a node (in place). */
export interface Rule {
  readonly ops: readonly string[];
  apply(node: Node, rw: Rewriter): void;
}
