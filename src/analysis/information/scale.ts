/**
 * The default scale (the largest σ). The reference recommends 10 × the std of the model's word
 * embedding matrix; when the matrix is not known, 10 × the std of the input embeddings x (for a
 * text model: token plus position embeddings of this sentence) stands in for it.
 */
import type { Model } from '../../onnx/ir/model.js';
import { readWeights } from '../../onnx/edit/weights.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';

export function stdOf(t: Tensor): number {
  const data = t.data as Float32Array;
  let sum = 0;
  for (const v of data) sum += v;
  const mean = sum / data.length;
  let sq = 0;
  for (const v of data) sq += (v - mean) ** 2;
  return Math.sqrt(sq / data.length);
}

export function defaultScale(x: Tensor, table?: Tensor): number {
  const scale = 10 * stdOf(table ?? x);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new GlassboxError('bad-option', `cannot derive a scale from ${table ? 'the embedding table' : 'the input'} (its std is ${scale / 10}); give scale`);
  return scale;
}

/** The token table a text model looks its ids up in (a Gather of a 2-D float initializer by `idsInput`), if there is one. */
export function embeddingTable(model: Model, idsInput: string): Tensor | undefined {
  const graph = model.graph;
  const lookup = graph.nodes.find((n) => n.opType === 'Gather' && n.inputs[1] === idsInput && graph.initializers.has(n.inputs[0]!));
  if (!lookup) return undefined;
  const table = readWeights(model, [lookup.inputs[0]!]).get(lookup.inputs[0]!);
  return table && table.rank === 2 && (table.dtype === 'float32' || table.dtype === 'float64') ? table : undefined;
}
