import ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { encodeModel } from '../../../../src/onnx/io.js';
import type { Graph } from '../../../../src/onnx/ir/graph.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { validateModel } from '../../../../src/onnx/validate.js';
import { fromOrt, toOrt } from '../../../../src/runtime/ort-tensor.js';
import { Tensor } from '../../../../src/tensor/tensor.js';

export type Feeds = Record<string, Tensor>;

/** Deterministic values in [-1, 1) (a linear congruential generator). */
export function pseudoRandom(shape: number[], seed: number): Tensor<'float32'> {
  let state = seed >>> 0;
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = (state / 2 ** 32) * 2 - 1;
  }
  return new Tensor('float32', shape, data);
}

/** Runs a model (a file path, or a Model encoded as-is) in onnxruntime. */
export async function runOrt(model: string | Model, feeds: Feeds): Promise<Record<string, Tensor>> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(encodeModel(model));
  try {
    const result = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, toOrt(v)])));
    return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, fromOrt(v, k)]));
  } finally {
    await session.release();
  }
}

/** max |a - b| / (1 + max |ref|) over one output; shapes must agree. */
export function relativeDiff(ref: Tensor, got: Tensor): number {
  expect(got.shape).toEqual(ref.shape);
  const a = ref.toNumbers();
  const b = got.toNumbers();
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!));
    const d = Math.abs(a[i]! - b[i]!);
    diff = Math.max(diff, Number.isNaN(a[i]!) && Number.isNaN(b[i]!) ? 0 : Number.isNaN(d) ? Infinity : d);
  }
  return diff / (1 + scale);
}

/** The worst relative difference over every output of `ref`. */
export function worstDiff(ref: Record<string, Tensor>, got: Record<string, Tensor>): number {
  let worst = 0;
  for (const [name, tensor] of Object.entries(ref)) {
    expect(got[name], `output "${name}"`).toBeDefined();
    worst = Math.max(worst, relativeDiff(tensor, got[name]!));
  }
  return worst;
}

/** normalize() plus the structural checks every result must pass. */
export function normalized(model: Model): Model {
  const out = normalize(model);
  validateModel(out, 'normalised model');
  return out;
}

/** Normalises, runs both versions on the same feeds and requires the same numbers (1e-5 relative). */
export async function expectSameOutputs(model: Model, feeds: Feeds): Promise<{ model: Model; before: Record<string, Tensor>; after: Record<string, Tensor> }> {
  const out = normalized(model);
  const before = await runOrt(model, feeds);
  const after = await runOrt(out, feeds);
  expect(worstDiff(before, after)).toBeLessThanOrEqual(1e-5);
  return { model: out, before, after };
}

export function allGraphs(graph: Graph): Graph[] {
  const sub = graph.nodes.flatMap((n) => [...n.attributes.values()].flatMap((a) => (a.type === 'graph' ? [a.value] : a.type === 'graphs' ? a.value : [])));
  return [graph, ...sub.flatMap(allGraphs)];
}

const OLD_ATTRIBUTES: Record<string, string[]> = {
  Squeeze: ['axes'], Unsqueeze: ['axes'], Split: ['split'], Slice: ['starts', 'ends', 'axes'],
  Pad: ['pads', 'value'], Clip: ['min', 'max'], TopK: ['k'],
};

/** Everything that keeps a model from being in the canonical form (empty when it is). */
export function canonicalProblems(model: Model): string[] {
  const problems: string[] = [];
  if (model.opset !== 21) problems.push(`opset ${model.opset}`);
  if (model.irVersion < 10) problems.push(`IR version ${model.irVersion}`);
  const outputs = new Set(model.graph.outputs.map((o) => o.name));
  for (const graph of allGraphs(model.graph)) {
    for (const node of graph.nodes) {
      const op = node.opType;
      const label = node.describe();
      if (['Upsample', 'Scatter', 'Dropout'].includes(op)) problems.push(`${label} remains`);
      const old = op.startsWith('Reduce') ? ['axes'] : OLD_ATTRIBUTES[op] ?? [];
      for (const key of old) if (node.has(key)) problems.push(`${label} has attribute ${key}`);
      if (op === 'Split' && !node.input(1) && !node.has('num_outputs')) problems.push(`${label} has neither split nor num_outputs`);
      if (op === 'BatchNormalization' && (node.outputs.length !== 1 || node.has('training_mode'))) problems.push(`${label} is not in inference form`);
      if (op === 'Resize' && (!node.has('coordinate_transformation_mode') || node.string('coordinate_transformation_mode') === 'tf_half_pixel_for_nn')) problems.push(`${label} has no valid coordinate mode`);
      const constantTensor = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings'].some((k) => node.has(k));
      if (graph === model.graph && op === 'Constant' && constantTensor && !outputs.has(node.outputs[0]!)) problems.push(`${label} is a Constant in the main graph`);
    }
  }
  return problems;
}

export function countOps(model: Model, opType: string): number {
  return allGraphs(model.graph).reduce((n, g) => n + g.nodes.filter((node) => node.opType === opType).length, 0);
}
