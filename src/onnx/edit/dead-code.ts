import { dependencies, type Graph } from '../ir/graph.js';
import type { Model } from '../ir/model.js';

/**
 * Removes nodes whose results no graph output needs, then initializers and value-info entries
 * nothing reads any more. Graph inputs stay (they are the model's interface).
 */
export function removeDeadNodes(model: Model): Model {
  pruneGraph(model.graph);
  return model;
}

export function pruneGraph(graph: Graph): void {
  const producers = graph.producers();
  const needed = new Set(graph.outputs.map((o) => o.name));
  const live = new Set<object>();
  const stack = [...needed];
  while (stack.length > 0) {
    const name = stack.pop()!;
    const producer = producers.get(name);
    if (!producer || live.has(producer.node)) continue;
    live.add(producer.node);
    for (const dep of dependencies(producer.node)) {
      if (!needed.has(dep)) {
        needed.add(dep);
        stack.push(dep);
      }
    }
  }
  graph.nodes = graph.nodes.filter((n) => live.has(n));
  for (const name of [...graph.initializers.keys()]) {
    if (!needed.has(name) && !graph.inputs.some((i) => i.name === name)) graph.initializers.delete(name);
  }
  const values = graph.valueNames();
  for (const name of [...graph.valueInfo.keys()]) if (!values.has(name)) graph.valueInfo.delete(name);
}
