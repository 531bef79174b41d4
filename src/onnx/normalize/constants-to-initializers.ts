import type { Graph } from '../ir/graph.js';
import { tensorToProto } from '../ir/tensor-proto.js';
import { constantValue } from './constant-value.js';
import { isOnnxDomain } from './context.js';

/**
 * Constant nodes carrying a dense tensor become initializers under their output name, so every
 * weight (Paddle exports store all of theirs as Constant nodes) can be read, replaced or turned
 * into an input the same way. Main graph only; a Constant whose output is a graph output stays a
 * node, because an initializer that is also a graph output is not portable across runtimes.
 */
export function constantsToInitializers(graph: Graph): void {
  const outputs = new Set(graph.outputs.map((o) => o.name));
  graph.nodes = graph.nodes.filter((node) => {
    if (node.opType !== 'Constant' || !isOnnxDomain(node.domain)) return true;
    const name = node.outputs[0];
    if (!name || outputs.has(name) || graph.initializers.has(name)) return true;
    const value = node.attributes.get('value');
    // A tensor attribute keeps its exact encoding (and element type, even one glassbox cannot decode).
    if (value?.type === 'tensor') {
      graph.initializers.set(name, { ...value.value, name });
      return false;
    }
    const tensor = constantValue.ofNode(node);
    if (!tensor) return true; // sparse_value: not a dense tensor
    graph.initializers.set(name, tensorToProto(name, tensor));
    return false;
  });
}
