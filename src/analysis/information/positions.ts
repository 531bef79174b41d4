/**
 * One layer seen from one output position: `<layer>@<j>` is position j of a [batch, seq, ...]
 * layer (a Gather on axis 1), added to a copy of the model so the measure can take it as a
 * layer. Measuring every input word's σ against `<layer>@<j>` says which words position j
 * keeps — for the reverse task, whether output position j keeps the word it must copy.
 */
import { cloneModel } from '../../onnx/edit/clone.js';
import { Node } from '../../onnx/ir/node.js';
import type { Model } from '../../onnx/ir/model.js';
import { tensorToProto } from '../../onnx/ir/tensor-proto.js';
import { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';

export function positionName(layer: string, position: number): string {
  return `${layer}@${position}`;
}

/** A copy of `model` with `<layer>@<j>` for every layer and position; the names, layer by layer. */
export function exposePositions(model: Model, layers: readonly string[], positions: readonly number[]): { model: Model; names: string[][] } {
  const copy = cloneModel(model);
  const graph = copy.graph;
  const values = graph.valueNames();
  const names = layers.map((layer) => {
    if (!values.has(layer)) throw new GlassboxError('bad-tensor-name', `the model has no tensor named "${layer}"${didYouMean(layer, values)}`);
    const rank = graph.typeOf(layer)?.shape?.length;
    if (rank !== undefined && rank < 3) throw new GlassboxError('bad-option', `layer "${layer}" has rank ${rank}; positions need [batch, seq, ...]`);
    return positions.map((j) => {
      if (!(Number.isInteger(j) && j >= 0)) throw new GlassboxError('bad-option', `positions are integers ≥ 0, got ${j}`);
      const name = positionName(layer, j);
      const index = `${name}/index`;
      graph.initializers.set(index, tensorToProto(index, Tensor.int64([], [j])));
      graph.nodes.push(new Node({ opType: 'Gather', inputs: [layer, index], outputs: [name], name: `${name}/Gather`, attributes: { axis: 1 } }));
      // An output, or preparing the model would prune it as dead code; the model's own outputs stay first.
      graph.outputs.push({ name });
      return name;
    });
  });
  return { model: copy, names };
}
