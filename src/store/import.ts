/**
 * Importing checkpoint series trained elsewhere.
 *
 *   {models: dir}              every *.onnx file of the directory is one checkpoint; the first
 *   {models: [a.onnx, …]}      file's graph becomes the run graph and each file's initializers
 *                              its checkpoint's weights. All files must have the same graph
 *                              (nodes, inputs, outputs, weight names, types and shapes).
 *   {graph, weights: [...]}    one ONNX graph plus safetensors files whose tensors are named
 *                              after the graph's initializers (same type and shape); all files
 *                              must hold the same names.
 *
 * Steps come from the file names: when every name contains a number and the numbers differ, a
 * file's step is the last number in its name (ckpt_100.onnx -> 100, epoch2-step500.onnx -> 500)
 * and files are ordered by it; otherwise files are ordered by name and numbered 0, 1, 2, …
 * The run gets status 'imported'; an import that fails leaves no run behind.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { GlassboxError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { encodeModel, loadModel } from '../onnx/io.js';
import { readWeights } from '../onnx/edit/weights.js';
import type { Attribute } from '../onnx/ir/attribute.js';
import type { Graph } from '../onnx/ir/graph.js';
import type { Model } from '../onnx/ir/model.js';
import { protoDims, protoDType } from '../onnx/ir/tensor-proto.js';
import type { ValueInfo } from '../onnx/ir/value.js';
import { onnxDTypeName } from '../tensor/dtype.js';
import { loadSafetensors } from './safetensors.js';
import type { RunStore } from './store.js';

export type ImportSource =
  | { models: string | readonly string[] }
  | { graph: string; weights: readonly string[] };

export interface ImportResult {
  run: string;
  steps: number[];
  /** The imported files, in step order. */
  files: string[];
}

/** Orders files by the step number in their names (see the module comment). */
export function orderByStep(paths: readonly string[]): { path: string; step: number }[] {
  const numbers = paths.map((p) => {
    const match = /(\d+)(?!.*\d)/.exec(basename(p, extname(p)));
    return match ? Number(match[1]) : undefined;
  });
  const numbered = numbers.every((n) => n !== undefined && Number.isSafeInteger(n)) && new Set(numbers).size === numbers.length;
  if (numbered) return paths.map((path, i) => ({ path, step: numbers[i]! })).sort((a, b) => a.step - b.step);
  return [...paths].sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0)).map((path, step) => ({ path, step }));
}

function onnxFiles(source: string | readonly string[]): string[] {
  if (typeof source !== 'string') return [...source];
  let stat;
  try {
    stat = statSync(source);
  } catch {
    throw new GlassboxError('not-found', `${source}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [source];
  const files = readdirSync(source).filter((f) => f.toLowerCase().endsWith('.onnx') && statSync(join(source, f)).isFile()).map((f) => join(source, f));
  if (files.length === 0) throw new GlassboxError('not-found', `${source}: no .onnx files in this directory`);
  return files;
}

export function importSeries(store: RunStore, source: ImportSource, name?: string): ImportResult {
  if ('models' in source) return importModels(store, onnxFiles(source.models), name ?? defaultName(source.models));
  if (source.weights.length === 0) throw new GlassboxError('bad-input', 'importing a graph needs at least one safetensors weights file');
  return importWeights(store, source.graph, source.weights, name ?? basename(source.graph, extname(source.graph)));
}

function defaultName(models: string | readonly string[]): string {
  const first = typeof models === 'string' ? models : models[0] ?? 'import';
  return basename(resolve(first), extname(first)) || 'import';
}

function importModels(store: RunStore, paths: string[], name: string): ImportResult {
  const ordered = orderByStep(paths);
  const first = ordered[0]!;
  const reference = loadModel(first.path);
  const runId = store.createRun({
    name,
    config: { imported: { kind: 'onnx', files: ordered.map((o) => resolve(o.path)) } },
    graph: encodeModel(reference),
  });
  return fill(store, runId, ordered, (path) => {
    const model = path === first.path ? reference : loadModel(path);
    if (model !== reference) {
      const difference = modelDifference(reference, model);
      if (difference) throw new GlassboxError('bad-series', `${path} does not match ${first.path}: ${difference}; a series needs one architecture`);
    }
    return readWeights(model);
  });
}

function importWeights(store: RunStore, graphPath: string, weightFiles: readonly string[], name: string): ImportResult {
  const graph = loadModel(graphPath);
  const initializers = graph.graph.initializers;
  const ordered = orderByStep(weightFiles);
  let names: string[] | undefined;
  let firstFile = '';
  const runId = store.createRun({
    name,
    config: { imported: { kind: 'safetensors', graph: resolve(graphPath), files: ordered.map((o) => resolve(o.path)) } },
    graph: encodeModel(graph),
  });
  return fill(store, runId, ordered, (path) => {
    const { tensors } = loadSafetensors(path);
    if (tensors.size === 0) throw new GlassboxError('bad-series', `${path} holds no tensors`);
    for (const [tensorName, tensor] of tensors) {
      const proto = initializers.get(tensorName);
      if (!proto) throw new GlassboxError('bad-series', `${path}: tensor "${tensorName}" is not a weight of ${graphPath}${didYouMean(tensorName, initializers.keys())}`);
      const dims = protoDims(proto);
      const dtype = protoDType(proto);
      if (dtype !== tensor.dtype || !sameShape(dims, tensor.shape)) {
        throw new GlassboxError('bad-series', `${path}: tensor "${tensorName}" is ${tensor.dtype}${formatShape(tensor.shape)}, but the graph's weight is ${dtype}${formatShape(dims)}`);
      }
    }
    const here = [...tensors.keys()].sort();
    if (!names) {
      names = here;
      firstFile = path;
    } else {
      const missing = names.find((n) => !tensors.has(n));
      if (missing) throw new GlassboxError('bad-series', `${path} has no tensor "${missing}", which ${firstFile} has; a series needs the same weights in every file`);
      const extra = here.find((n) => !names!.includes(n));
      if (extra) throw new GlassboxError('bad-series', `${path} has a tensor "${extra}" that ${firstFile} lacks; a series needs the same weights in every file`);
    }
    return tensors;
  });
}

/** Writes the checkpoints one by one; on any error the half-imported run is removed. */
function fill(store: RunStore, runId: string, ordered: { path: string; step: number }[], weightsOf: (path: string) => Map<string, Tensor>): ImportResult {
  try {
    for (const { path, step } of ordered) store.putCheckpoint(runId, step, weightsOf(path));
    store.setStatus(runId, 'imported');
  } catch (error) {
    store.deleteRun(runId);
    throw error;
  }
  return { run: runId, steps: ordered.map((o) => o.step), files: ordered.map((o) => o.path) };
}

// ---------------------------------------------------------------------------------------------
// Comparing graphs

/**
 * The first structural difference between two models, in words, or undefined when they have
 * the same graph: opsets, inputs, outputs, nodes (type, inputs, outputs, attributes; node names
 * are ignored), and the names, types and shapes of the weights (not their values).
 */
export function modelDifference(a: Model, b: Model): string | undefined {
  const opsets = (m: Model): string => [...m.opsets].map(([d, v]) => `${d || 'ai.onnx'}@${v}`).sort().join(', ');
  if (opsets(a) !== opsets(b)) return `opsets differ (${opsets(b)} vs ${opsets(a)})`;
  return graphDifference(a.graph, b.graph, false);
}

function valueText(v: ValueInfo): string {
  return `${v.name}: ${v.elemType === undefined ? '?' : onnxDTypeName(v.elemType)}${v.shape ? formatShape(v.shape) : '[?]'}`;
}

function graphDifference(a: Graph, b: Graph, withValues: boolean): string | undefined {
  for (const [label, la, lb] of [['input', a.feedInputs, b.feedInputs], ['output', a.outputs, b.outputs]] as const) {
    if (la.length !== lb.length) return `${lb.length} ${label}s instead of ${la.length}`;
    for (let i = 0; i < la.length; i++) {
      if (valueText(la[i]!) !== valueText(lb[i]!)) return `${label} #${i} is ${valueText(lb[i]!)} instead of ${valueText(la[i]!)}`;
    }
  }
  if (a.nodes.length !== b.nodes.length) return `${b.nodes.length} nodes instead of ${a.nodes.length}`;
  for (let i = 0; i < a.nodes.length; i++) {
    const na = a.nodes[i]!;
    const nb = b.nodes[i]!;
    const label = `node #${i} (${na.opType}${na.name ? ` "${na.name}"` : ''})`;
    if (na.opType !== nb.opType || na.domain !== nb.domain) return `${label} is a ${nb.opType} there`;
    if (na.inputs.join(',') !== nb.inputs.join(',')) return `${label} reads [${nb.inputs.join(', ')}] instead of [${na.inputs.join(', ')}]`;
    if (na.outputs.join(',') !== nb.outputs.join(',')) return `${label} writes [${nb.outputs.join(', ')}] instead of [${na.outputs.join(', ')}]`;
    const keys = (n: typeof na): string => [...n.attributes.keys()].sort().join(',');
    if (keys(na) !== keys(nb)) return `${label} has attributes [${keys(nb)}] instead of [${keys(na)}]`;
    for (const [key, attr] of na.attributes) {
      if (attributeText(attr) !== attributeText(nb.attributes.get(key)!)) return `${label} has a different "${key}" attribute`;
    }
  }
  for (const [name, proto] of a.initializers) {
    const other = b.initializers.get(name);
    if (!other) return `weight "${name}" is missing${didYouMean(name, b.initializers.keys())}`;
    const ta = `${onnxDTypeName(proto.data_type ?? 0)}${formatShape(protoDims(proto))}`;
    const tb = `${onnxDTypeName(other.data_type ?? 0)}${formatShape(protoDims(other))}`;
    if (ta !== tb) return `weight "${name}" is ${tb} instead of ${ta}`;
    if (withValues && jsonText(other) !== jsonText(proto)) return `constant "${name}" has other values`;
  }
  for (const name of b.initializers.keys()) if (!a.initializers.has(name)) return `it has an extra weight "${name}"`;
  return undefined;
}

function attributeText(attr: Attribute): string {
  if (attr.type === 'graph') return graphText(attr.value);
  if (attr.type === 'graphs') return attr.value.map(graphText).join('|');
  return jsonText(attr.value);
}

/** A subgraph compared whole, constant values included. */
function graphText(graph: Graph): string {
  return jsonText({
    inputs: graph.inputs.map(valueText), outputs: graph.outputs.map(valueText),
    nodes: graph.nodes.map((n) => [n.domain, n.opType, n.inputs, n.outputs, [...n.attributes].map(([k, v]) => [k, attributeText(v)])]),
    initializers: [...graph.initializers].map(([k, v]) => [k, jsonText(v)]),
  });
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return `bytes:${createHash('sha256').update(v).digest('hex')}`;
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}
