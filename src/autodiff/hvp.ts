import { dtypeToOnnx } from '../tensor/dtype.js';
import { GraphBuilder } from '../onnx/builder.js';
import type { Model } from '../onnx/ir/model.js';
import { inferShapes } from '../onnx/shapes/index.js';
import { buildGradientGraph, type GradientRequest } from './gradients.js';
import { ValueFacts } from './values.js';

export interface HvpGraph {
  /** One model computing H·v (and the kept forward values) in a single run. */
  model: Model;
  /** Seed input per `of` value, as for gradients (the f = ⟨seed, of⟩ being differentiated twice). */
  seeds: Record<string, string>;
  /** Input holding the direction v for each `wrt` value. */
  vectors: Record<string, string>;
  /** Output holding (H·v) for each `wrt` value. */
  hvp: Record<string, string>;
}

/**
 * Exact Hessian-vector products by differentiating twice: the gradient graph of
 * f = ⟨seed, of⟩ w.r.t. θ = wrt, then the gradient of ⟨∇f, v⟩ w.r.t. θ again. H is the Hessian
 * over all `wrt` values jointly (intermediate values count as points where the total
 * derivative is taken, as a zero perturbation added there would).
 */
export function buildHvpGraph(model: Model, request: Omit<GradientRequest, 'keep'>): HvpGraph {
  const first = buildGradientGraph(model, request);
  const graph = first.model.graph;
  inferShapes(first.model);
  const facts = new ValueFacts(graph);
  const b = new GraphBuilder(graph);
  const vectors: Record<string, string> = {};
  let total: string | undefined;
  for (const name of request.wrt) {
    const grad = first.gradients[name]!;
    const v = b.input(b.fresh(`${name}_v`), facts.dtype(grad), facts.shape(grad));
    vectors[name] = v;
    const dot = b.op('ReduceSum', [b.op('Mul', [grad, v])], { keepdims: 0 });
    total = total ? b.op('Add', [total, dot]) : dot;
  }
  graph.outputs.push({ name: total!, elemType: dtypeToOnnx(facts.dtype(first.gradients[request.wrt[0]!]!)), shape: [] });
  inferShapes(first.model);
  const second = buildGradientGraph(first.model, { of: [total!], wrt: request.wrt, seed: 'ones', keep: [] });
  return { model: second.model, seeds: first.seeds, vectors, hvp: second.gradients };
}
