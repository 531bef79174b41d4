import { GlassboxError } from '../../util/errors.js';
import type { SparseTensorProto, StringStringEntryProto, TensorAnnotation, TensorProto } from '../proto/types.js';
import type { Node } from './node.js';
import type { ValueInfo } from './value.js';

export interface Producer {
  node: Node;
  /** Which output of the node. */
  index: number;
}

/**
 * A computation graph: nodes over named values, with graph inputs, outputs and constant
 * initializers. It is mutable (edits, normalisation and the gradient builder rewrite it);
 * producer/consumer maps are derived on demand, so callers never keep them in sync by hand.
 */
export class Graph {
  name: string;
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** Constant tensors by name, in file order. */
  initializers: Map<string, TensorProto>;
  /** Known types of intermediate values, by name. */
  valueInfo: Map<string, ValueInfo>;
  docString?: string;
  sparseInitializers: SparseTensorProto[] = [];
  quantizationAnnotation: TensorAnnotation[] = [];
  metadataProps: StringStringEntryProto[] = [];
  /** The file set name to '' explicitly (kept for a byte-identical round trip). */
  keepEmpty = false;

  constructor(init: { name?: string; nodes?: Node[]; inputs?: ValueInfo[]; outputs?: ValueInfo[]; initializers?: Map<string, TensorProto>; valueInfo?: Map<string, ValueInfo> } = {}) {
    this.name = init.name ?? '';
    this.nodes = init.nodes ?? [];
    this.inputs = init.inputs ?? [];
    this.outputs = init.outputs ?? [];
    this.initializers = init.initializers ?? new Map();
    this.valueInfo = init.valueInfo ?? new Map();
  }

  /** Graph inputs that are fed at run time (older IR versions list initializers as inputs too). */
  get feedInputs(): ValueInfo[] {
    return this.inputs.filter((v) => !this.initializers.has(v.name));
  }

  /** Map from value name to the node output that produces it. */
  producers(): Map<string, Producer> {
    const map = new Map<string, Producer>();
    for (const node of this.nodes) node.outputs.forEach((name, index) => { if (name) map.set(name, { node, index }); });
    return map;
  }

  /** Map from value name to the nodes that read it (a node appears once per use). */
  consumers(): Map<string, Node[]> {
    const map = new Map<string, Node[]>();
    for (const node of this.nodes) {
      for (const name of node.inputs) {
        if (!name) continue;
        const list = map.get(name);
        if (list) list.push(node);
        else map.set(name, [node]);
      }
    }
    return map;
  }

  /**
   * Nodes in an order where every value is produced before it is read. Values read from an
   * enclosing scope (subgraphs) count as available. Throws on a cycle or a value nobody produces.
   */
  topologicalOrder(outerScope: ReadonlySet<string> = new Set()): Node[] {
    const available = new Set<string>(outerScope);
    for (const v of this.inputs) available.add(v.name);
    for (const name of this.initializers.keys()) available.add(name);
    const producers = this.producers();
    const order: Node[] = [];
    const state = new Map<Node, 1 | 2>(); // 1 = on the stack, 2 = done
    const depsOf = new Map<Node, string[]>();
    const visit = (root: Node): void => {
      // Iterative depth-first search: real graphs are deep enough to overflow recursion.
      const stack: [Node, number][] = [[root, 0]];
      state.set(root, 1);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const [node, i] = top;
        let deps = depsOf.get(node);
        if (!deps) depsOf.set(node, (deps = dependencies(node)));
        if (i < deps.length) {
          top[1]++;
          const name = deps[i]!;
          if (available.has(name)) continue;
          const producer = producers.get(name);
          if (!producer) {
            throw new GlassboxError('bad-model', `${node.describe()} reads "${name}", which no node, input or initializer provides`);
          }
          const s = state.get(producer.node);
          if (s === 1) throw new GlassboxError('bad-model', `the graph has a cycle through ${producer.node.describe()}`);
          if (s === undefined) {
            state.set(producer.node, 1);
            stack.push([producer.node, 0]);
          }
          continue;
        }
        stack.pop();
        state.set(node, 2);
        for (const out of node.outputs) if (out) available.add(out);
        order.push(node);
      }
    };
    for (const node of this.nodes) if (!state.has(node)) visit(node);
    return order;
  }

  /** Sorts `nodes` in place into topological order. */
  sort(outerScope?: ReadonlySet<string>): this {
    this.nodes = this.topologicalOrder(outerScope);
    return this;
  }

  /** Every value name in the graph (inputs, initializers, node outputs). */
  valueNames(): Set<string> {
    const names = new Set<string>();
    for (const v of this.inputs) names.add(v.name);
    for (const name of this.initializers.keys()) names.add(name);
    for (const node of this.nodes) for (const o of node.outputs) if (o) names.add(o);
    return names;
  }

  /** The declared type of a value, wherever it is declared. */
  typeOf(name: string): ValueInfo | undefined {
    return this.valueInfo.get(name) ?? this.inputs.find((v) => v.name === name) ?? this.outputs.find((v) => v.name === name);
  }
}

/** Values a node needs before it can run: its inputs and the outer-scope values its subgraphs read. */
export function dependencies(node: Node): string[] {
  const deps = node.inputs.filter((n) => n !== '');
  for (const attr of node.attributes.values()) {
    const graphs = attr.type === 'graph' ? [attr.value] : attr.type === 'graphs' ? attr.value : [];
    for (const g of graphs) deps.push(...outerReferences(g));
  }
  return deps;
}

/** Names a subgraph reads that it does not define itself (captured from the enclosing graph). */
export function outerReferences(graph: Graph): string[] {
  const defined = graph.valueNames();
  const refs = new Set<string>();
  for (const node of graph.nodes) {
    for (const name of dependencies(node)) if (!defined.has(name)) refs.add(name);
  }
  return [...refs];
}
