/**
 * The model as the measure sees it: prepared, cut at the input tensor (as Explainable does for
 * attributions), reading only what the part after the cut needs, and the layers checked: they
 * exist, come after the cut, and depend on the input through differentiable operations.
 */
import { NON_DIFFERENTIABLE_OPS } from '../../autodiff/coverage.js';
import { prepareModel } from '../../engine/prepare.js';
import { cloneModel } from '../../onnx/edit/clone.js';
import { cutAt } from '../../onnx/edit/cut.js';
import { pruneGraph } from '../../onnx/edit/dead-code.js';
import type { Model } from '../../onnx/ir/model.js';
import type { Graph } from '../../onnx/ir/graph.js';
import type { ProbeOptions } from '../../runtime/probe.js';
import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';

export interface CutModel {
  /** The prepared model before the cut. */
  full: Model;
  /** Cut at `input`, which is its graph input; layers are still intermediate values. */
  cut: Model;
}

export async function cutForInformation(model: Model, input: string, layers: readonly string[], probe?: ProbeOptions): Promise<CutModel> {
  if (layers.length === 0) throw new GlassboxError('bad-option', 'give at least one layer to measure');
  const twice = layers.find((l, i) => layers.indexOf(l) !== i);
  if (twice !== undefined) throw new GlassboxError('bad-option', `layer "${twice}" is listed twice`);
  const { model: full } = await prepareModel(model, probe ? { probeOptions: probe } : {});
  const values = full.graph.valueNames();
  if (!values.has(input)) throw new GlassboxError('bad-tensor-name', `the model has no tensor named "${input}"${didYouMean(input, values)}`);
  const info = full.graph.typeOf(input);
  if (info?.elemType !== 1) throw new GlassboxError('bad-input', `"${input}" must be a float32 tensor (the embeddings noise is added to), got element type ${info?.elemType ?? 'unknown'}`);
  const isInput = full.graph.feedInputs.some((i) => i.name === input);
  const cut = isInput ? cloneModel(full) : cutAt(cloneModel(full), [input]);
  checkLayers(full.graph, cut.graph, input, layers);
  // Layers become the outputs; inputs only the cut-off part read are dropped.
  cut.graph.outputs = layers.map((l) => ({ ...(full.graph.typeOf(l) ?? {}), name: l }));
  pruneGraph(cut.graph);
  const read = new Set(cut.graph.nodes.flatMap((n) => n.inputs));
  cut.graph.inputs = cut.graph.inputs.filter((i) => i.name === input || read.has(i.name) || cut.graph.initializers.has(i.name));
  return { full, cut };
}

function checkLayers(full: Graph, cut: Graph, input: string, layers: readonly string[]): void {
  const cutValues = cut.valueNames();
  const candidates = [...reachable(cut, input, false)].filter((v) => v !== input);
  for (const layer of layers) {
    if (!full.valueNames().has(layer)) throw new GlassboxError('bad-tensor-name', `the model has no tensor named "${layer}"${didYouMean(layer, candidates)}`);
    if (!cutValues.has(layer)) throw new GlassboxError('bad-option', `layer "${layer}" is computed before "${input}", where noise is added; measure a layer after it${didYouMean(layer, candidates)}`);
  }
  const differentiable = reachable(cut, input, true);
  for (const layer of layers) {
    if (!differentiable.has(layer)) {
      throw new GlassboxError('no-dependency', `layer "${layer}" does not depend on "${input}"${reachable(cut, input, false).has(layer) ? ' through differentiable operations' : ''}: noise added there cannot change it`);
    }
  }
}

/** Values computed from `from` (through differentiable ops only, when asked). */
function reachable(graph: Graph, from: string, differentiableOnly: boolean): Set<string> {
  const seen = new Set([from]);
  for (const node of graph.topologicalOrder()) {
    if (differentiableOnly && NON_DIFFERENTIABLE_OPS.has(node.opType)) continue;
    if (node.inputs.some((i) => i && seen.has(i))) for (const o of node.outputs) if (o) seen.add(o);
  }
  return seen;
}
