/**
 * Lowering of fused recurrent nodes (ONNX LSTM, GRU, RNN) into primitive ops, so the gradient
 * builder can differentiate them with the rules of MatMul/Gemm, the activations, Split/Concat,
 * Squeeze/Unsqueeze, Reshape and Where. The sequence is unrolled for one length, known
 * statically or given as an option; callers keep one lowered graph per length.
 */
import { GlassboxError } from '../../util/errors.js';
import { GraphBuilder } from '../../onnx/builder.js';
import { cloneModel } from '../../onnx/edit/clone.js';
import { dependencies } from '../../onnx/ir/graph.js';
import type { Model } from '../../onnx/ir/model.js';
import type { Node } from '../../onnx/ir/node.js';
import { ValueFacts } from '../values.js';
import { LowerEmitter } from './emitter.js';
import { gruCell } from './GRU.js';
import { lstmCell } from './LSTM.js';
import { rnnCell } from './RNN.js';
import { readSpec, type RecurrentOp } from './spec.js';
import { unroll, type CellFactory } from './unroll.js';

export const RECURRENT_OPS: ReadonlySet<string> = new Set<RecurrentOp>(['LSTM', 'GRU', 'RNN']);

const CELLS: Record<RecurrentOp, CellFactory> = { LSTM: lstmCell, GRU: gruCell, RNN: rnnCell };

export interface LowerRecurrentOptions {
  /**
   * Time steps to unroll where a node's input has a symbolic (or unknown) sequence dim. A node
   * whose sequence dim is a number uses that number (and this must agree when given).
   */
  sequenceLength?: number;
  /**
   * Which recurrent nodes to lower (default: all of them). `index` is the node's position in the
   * model's node list (the node itself is the copy's).
   */
  filter?: (node: Node, index: number) => boolean;
  /**
   * Values that must stay inputs of the lowered subgraph, e.g. the gradient's `wrt` tensors: an
   * initial state that is a constant zero is otherwise folded away.
   */
  keep?: Iterable<string>;
}

/** Whether `node` is an ai.onnx LSTM, GRU or RNN node. */
export function isRecurrent(node: Node): boolean {
  return RECURRENT_OPS.has(node.opType) && (node.domain === '' || node.domain === 'ai.onnx');
}

/**
 * A copy of `model` (canonical form, shapes inferred) in which every LSTM/GRU/RNN node is
 * replaced by an equivalent unrolled subgraph of standard ops, in place in the node list.
 * Outputs keep their names; outputs nothing reads are not computed. Every new value gets its
 * type and shape in value_info. The input model is not modified.
 */
export function lowerRecurrent(model: Model, options: LowerRecurrentOptions = {}): Model {
  const out = cloneModel(model);
  const graph = out.graph;
  const targets = graph.nodes.filter((n, i) => isRecurrent(n) && (options.filter?.(n, i) ?? true));
  if (targets.length === 0) return out;
  if (out.opset < 13) throw new GlassboxError('bad-model', `recurrent nodes can be unrolled only in opset 13 or later (this model imports opset ${out.opset}); normalise it first`);

  const facts = new ValueFacts(graph);
  const used = new Set<string>(graph.outputs.map((o) => o.name));
  for (const node of graph.nodes) for (const i of dependencies(node)) used.add(i);
  const keep = new Set(options.keep ?? []);
  const builder = new GraphBuilder(graph);
  const emitters = new Map<string, LowerEmitter>();

  for (const node of targets) {
    const spec = readSpec(graph, node, facts, used, { ...(options.sequenceLength !== undefined ? { sequenceLength: options.sequenceLength } : {}), keep });
    let e = emitters.get(spec.dtype);
    if (!e) emitters.set(spec.dtype, (e = new LowerEmitter(builder, spec.dtype)));
    const start = graph.nodes.length;
    builder.prefix = `${node.name || `${node.opType}_${node.outputs.find(Boolean) ?? ''}`}/`;
    if (spec.Y || spec.Yh || spec.Yc) unroll(e, spec, CELLS[spec.op]);
    builder.prefix = '';
    const emitted = graph.nodes.splice(start);
    graph.nodes.splice(graph.nodes.indexOf(node), 1, ...emitted);
  }
  return out;
}
