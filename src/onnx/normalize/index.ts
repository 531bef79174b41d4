import { GlassboxError } from '../../util/errors.js';
import { cloneModel } from '../edit/clone.js';
import { pruneGraph } from '../edit/dead-code.js';
import type { Graph } from '../ir/graph.js';
import type { Model } from '../ir/model.js';
import { MAX_OPSET, MIN_OPSET } from '../validate.js';
import { reduceRule, squeezeRule } from './axes-to-inputs.js';
import { batchNormRule } from './batchnorm.js';
import { clipRule } from './clip.js';
import { constantsToInitializers } from './constants-to-initializers.js';
import { isOnnxDomain, Rewriter, type Rule } from './context.js';
import { dftRule } from './dft.js';
import { dropoutRule } from './dropout.js';
import { gridSampleRule } from './grid-sample.js';
import { groupNormRule } from './group-norm.js';
import { fuseLayerNorms } from './layernorm-fusion.js';
import { padRule } from './pad.js';
import { removedOpsRule } from './removed-ops.js';
import { resizeRule, upsampleRule } from './resize.js';
import { roiAlignRule } from './roi-align.js';
import { scatterRule } from './scatter.js';
import { sliceRule } from './slice.js';
import { softmaxRule } from './softmax.js';
import { splitRule } from './split.js';
import { topkRule } from './topk.js';

/** The canonical form: ai.onnx opset 21 and at least IR version 10 (see docs/ARCHITECTURE.md). */
export const CANONICAL_OPSET = 21;
export const CANONICAL_IR_VERSION = 10;

const RULES: readonly Rule[] = [
  reduceRule, squeezeRule, splitRule, sliceRule, padRule, clipRule, topkRule, dropoutRule, batchNormRule,
  scatterRule, upsampleRule, resizeRule, softmaxRule, groupNormRule, roiAlignRule, gridSampleRule, dftRule, removedOpsRule,
];
const RULE_BY_OP = new Map(RULES.flatMap((rule) => rule.ops.map((op) => [op, rule] as const)));

/**
 * Brings a model of ai.onnx opset 9..21 to the canonical form every other part of glassbox
 * relies on: opset 21 semantics, attributes-that-became-inputs as inputs, Constant weights as
 * initializers, inference-only Dropout/BatchNormalization simplified, spelled-out LayerNorms
 * fused. Returns a new model; the argument is not modified. Ops of other domains are left alone.
 * Throws GlassboxError('unsupported-op') for a node that cannot be converted faithfully.
 */
export function normalize(model: Model): Model {
  const opset = model.opset;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new GlassboxError('unsupported-opset', `cannot normalise a model of ai.onnx opset ${opset} (glassbox reads opsets ${MIN_OPSET} to ${MAX_OPSET})`);
  }
  const out = cloneModel(model);
  // Before IR 4 every initializer was also listed as a graph input; they are weights, not inputs.
  if (out.irVersion < 4) out.graph.inputs = out.graph.inputs.filter((i) => !out.graph.initializers.has(i.name));
  constantsToInitializers(out.graph);
  normalizeGraph(out.graph, opset, modelNames(out.graph), undefined);
  out.opset = CANONICAL_OPSET;
  out.irVersion = Math.max(out.irVersion, CANONICAL_IR_VERSION);
  return out;
}

/** Rewrites one graph, then its subgraphs (If/Loop/Scan bodies) by the same rules. */
function normalizeGraph(graph: Graph, opset: number, names: Set<string>, parent: Rewriter | undefined): void {
  const rw = new Rewriter(graph, opset, names, parent);
  for (const node of [...graph.nodes]) {
    const rule = isOnnxDomain(node.domain) ? RULE_BY_OP.get(node.opType) : undefined;
    if (!rule) continue;
    rule.apply(node, rw);
  }
  fuseLayerNorms(rw);
  pruneGraph(graph);
  // Names created here must stay unique when the subgraphs add theirs.
  for (const name of modelNames(graph)) names.add(name);
  for (const sub of subgraphs(graph)) normalizeGraph(sub, opset, names, rw);
  graph.sort(outerScope(rw));
}

function subgraphs(graph: Graph): Graph[] {
  return graph.nodes.flatMap((node) => [...node.attributes.values()].flatMap((a) => (a.type === 'graph' ? [a.value] : a.type === 'graphs' ? a.value : [])));
}

/** Value names visible to a subgraph of `rw`'s graph: everything its enclosing graphs define. */
function outerScope(rw: Rewriter): Set<string> {
  const scope = new Set<string>();
  for (let r = rw.parent; r; r = r.parent) for (const name of r.graph.valueNames()) scope.add(name);
  return scope;
}

/** Every value and node name in a graph and its subgraphs. */
function modelNames(graph: Graph): Set<string> {
  const names = graph.valueNames();
  for (const node of graph.nodes) if (node.name) names.add(node.name);
  for (const sub of subgraphs(graph)) for (const name of modelNames(sub)) names.add(name);
  return names;
}
