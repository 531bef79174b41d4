import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Model } from '../ir/model.js';
import type { ValueInfo } from '../ir/value.js';
import { protoDims, protoDType, tensorFromProto, tensorToProto } from '../ir/tensor-proto.js';

/**
 * Replaces initializer values by name (loading a checkpoint into a graph). Every name must be
 * an existing weight with the same element type and shape: a checkpoint for another
 * architecture is an error, never a silent partial load.
 */
export function replaceWeights(model: Model, weights: ReadonlyMap<string, Tensor> | Record<string, Tensor>): Model {
  const graph = model.graph;
  const entries = weights instanceof Map ? [...weights] : Object.entries(weights);
  for (const [name, tensor] of entries) {
    const current = graph.initializers.get(name);
    if (!current) throw new GlassboxError('bad-weights', `the model has no weight named "${name}"${didYouMean(name, graph.initializers.keys())}`);
    const dims = protoDims(current);
    const dtype = protoDType(current);
    if (dtype !== tensor.dtype || !sameShape(dims, tensor.shape)) {
      throw new GlassboxError('bad-weights', `weight "${name}" is ${dtype}${formatShape(dims)} in the model but ${tensor.dtype}${formatShape(tensor.shape)} in the replacement`);
    }
    graph.initializers.set(name, tensorToProto(name, tensor));
  }
  return model;
}

/** The current values of weights (all initializers when `names` is omitted). */
export function readWeights(model: Model, names?: Iterable<string>): Map<string, Tensor> {
  const graph = model.graph;
  const out = new Map<string, Tensor>();
  for (const name of names ?? graph.initializers.keys()) {
    const proto = graph.initializers.get(name);
    if (!proto) throw new GlassboxError('bad-weights', `the model has no weight named "${name}"${didYouMean(name, graph.initializers.keys())}`);
    out.set(name, tensorFromProto(proto));
  }
  return out;
}

/**
 * Turns initializers into graph inputs (for training, weight gradients, checkpoints fed at run
 * time). With `keepDefaults` the initializer stays as the input's default value, which
 * onnxruntime then treats as overridable (and does not constant-fold).
 */
export function initializersToInputs(model: Model, names?: Iterable<string>, options: { keepDefaults?: boolean } = {}): ValueInfo[] {
  const graph = model.graph;
  const added: ValueInfo[] = [];
  for (const name of names ?? [...graph.initializers.keys()]) {
    const proto = graph.initializers.get(name);
    if (!proto) throw new GlassboxError('bad-weights', `the model has no weight named "${name}"${didYouMean(name, graph.initializers.keys())}`);
    // Files of IR version < 4 already list every initializer among the inputs.
    let info = graph.inputs.find((i) => i.name === name);
    if (!info) {
      info = { name, elemType: proto.data_type ?? 0, shape: protoDims(proto) };
      graph.inputs.push(info);
    }
    if (!options.keepDefaults) graph.initializers.delete(name);
    added.push(info);
  }
  return added;
}
