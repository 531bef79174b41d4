/**
 * Which layers to measure: `all` (the meaningful ones) or names, checked against the model with
 * one-line errors that list the candidates.
 *
 * `all` means, for the recipes trained here, their named hooks after the input ('layer1' …,
 * 'encoded', 'pooled': recipes/*.ts name them; 'pooled' left out where it only renames the last
 * layer, as in a CNN); for any other model, the float tensors computed
 * from the noised tensor through differentiable ops — sublayer outputs are what one wants, and
 * a LayerNormalization bounds every sublayer of a BERT-like encoder, so those are taken when
 * there are at least two; otherwise every such tensor — capped at `max`, evenly spaced, the
 * last kept.
 * The output ('logits') is not a layer here; name it to measure it.
 */
import { NON_DIFFERENTIABLE_OPS } from '../../autodiff/coverage.js';
import type { Graph } from '../../onnx/ir/graph.js';
import type { Model } from '../../onnx/ir/model.js';
import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';

/** Hook names of the recipes (src/train/recipes), in the order they are computed. */
export const RECIPE_LAYER = /^(layer\d+|encoded|pooled)$/;

export interface LayerChoice {
  layers: string[];
  /** How `all` was resolved, when it dropped or chose tensors the user should hear about. */
  note?: string;
}

export const DEFAULT_MAX_LAYERS = 12;

/** `spec`: 'all', or tensor names (a list, or one string of names separated by commas). */
export function chooseLayers(model: Model, input: string, spec: string | readonly string[], options: { max?: number } = {}): LayerChoice {
  const graph = model.graph;
  const after = computedFrom(graph, input);
  const candidates = defaultLayers(graph, after, options.max ?? DEFAULT_MAX_LAYERS);
  const names = (typeof spec === 'string' ? spec.split(',') : [...spec]).map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new GlassboxError('bad-option', `name the layers to measure (--layers all, or names separated by commas: ${candidates.layers.join(', ') || 'none found'})`);
  if (names.length === 1 && names[0] === 'all') {
    if (candidates.layers.length === 0) throw new GlassboxError('not-applicable', `no float tensor is computed from "${input}" through differentiable ops: nothing to measure`);
    return candidates;
  }
  const values = graph.valueNames();
  const listed = `candidates: ${candidates.layers.join(', ')}${candidates.note ? ' …' : ''} (glassbox inspect lists every tensor)`;
  for (const name of names) {
    if (name === 'all') throw new GlassboxError('bad-option', '--layers all stands alone; do not mix it with names');
    if (!values.has(name)) throw new GlassboxError('bad-tensor-name', `the model has no layer "${name}"${didYouMean(name, new Set([...candidates.layers, ...after]))}; ${listed}`);
    if (name === input) throw new GlassboxError('bad-option', `"${name}" is where the noise is added, not a layer after it; ${listed}`);
    if (!after.has(name)) throw new GlassboxError('bad-option', `layer "${name}" is not computed from "${input}" (where the noise goes) through differentiable ops; ${listed}`);
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new GlassboxError('bad-option', `layer "${twice}" is listed twice`);
  return { layers: names };
}

function defaultLayers(graph: Graph, after: ReadonlySet<string>, max: number): LayerChoice {
  const order = graph.topologicalOrder().flatMap((n) => n.outputs.filter((o) => o && after.has(o)));
  // A recipe's model names its embedding hook (text) or its first layer and its logits (every
  // recipe); in another model 'pooled' is just a name.
  const names = graph.valueNames();
  const producers = graph.producers();
  const recipe = names.has('embeddings') || (names.has('layer1') && names.has('logits'));
  const hooks = recipe ? order.filter((name) => RECIPE_LAYER.test(name)) : [];
  // A hook that only renames the hook before it (a CNN's 'pooled' is its last hidden layer) adds nothing.
  const distinct = hooks.filter((name) => {
    const node = producers.get(name)?.node;
    return !(node?.opType === 'Identity' && hooks.includes(node.inputs[0]!));
  });
  if (distinct.length > 0) return { layers: distinct };
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const float = order.filter((name) => !outputs.has(name) && [undefined, 1].includes(graph.typeOf(name)?.elemType));
  const norms = float.filter((name) => producers.get(name)?.node.opType === 'LayerNormalization');
  const pool = norms.length >= 2 ? norms : float;
  const what = norms.length >= 2 ? 'LayerNormalization outputs (a Transformer\'s sublayer boundaries)' : 'float tensors';
  if (pool.length <= max) return { layers: pool, ...(pool !== float ? { note: `--layers all: the ${pool.length} ${what} after the noised tensor` } : {}) };
  const picked = Array.from({ length: max }, (_, i) => pool[Math.round(((i + 1) * pool.length) / max) - 1]!);
  return { layers: picked, note: `--layers all: ${max} of the ${pool.length} ${what} after the noised tensor, evenly spaced; name others with --layers` };
}

/** Values computed from `input` through differentiable ops (the ones noise there can change). */
function computedFrom(graph: Graph, input: string): Set<string> {
  const seen = new Set([input]);
  for (const node of graph.topologicalOrder()) {
    if (NON_DIFFERENTIABLE_OPS.has(node.opType)) continue;
    if (node.inputs.some((i) => i && seen.has(i))) for (const o of node.outputs) if (o) seen.add(o);
  }
  seen.delete(input);
  return seen;
}
