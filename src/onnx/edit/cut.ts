import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';
import type { Model } from '../ir/model.js';
import type { ValueInfo } from '../ir/value.js';
import { pruneGraph } from './dead-code.js';

/**
 * Cuts the graph at intermediate tensors: each becomes a graph input, and whatever only served
 * to compute it is removed. Cutting at an embedding output, for instance, gives a model that
 * takes embeddings instead of token ids. The value's element type and shape must be known
 * (run shape inference or probing first); dims that were dynamic stay symbolic.
 */
export function cutAt(model: Model, names: Iterable<string>): Model {
  const graph = model.graph;
  const producers = graph.producers();
  for (const name of names) {
    if (graph.inputs.some((i) => i.name === name)) continue;
    const producer = producers.get(name);
    if (!producer) {
      const hint = graph.initializers.has(name) ? ' (it is a weight; use initializersToInputs)' : didYouMean(name, producers.keys());
      throw new GlassboxError('bad-tensor-name', `cannot cut at "${name}": no node produces it${hint}`);
    }
    const known = graph.typeOf(name);
    if (known?.elemType === undefined) {
      throw new GlassboxError('unknown-shape', `cannot cut at "${name}": its element type is unknown (infer shapes first)`);
    }
    // The producer keeps a dangling renamed output (pruned below if nothing else needs it).
    producer.node.outputs[producer.index] = `${name}::cut`;
    const input: ValueInfo = { name, elemType: known.elemType };
    if (known.shape) input.shape = [...known.shape];
    graph.inputs.push(input);
    graph.valueInfo.delete(name);
  }
  pruneGraph(graph);
  return model;
}
