import { GlassboxError } from '../util/errors.js';
import { bytesPerElement, dtypeFromOnnx, onnxDTypeName } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { int64ToNumber } from './proto/codec.js';
import type { TensorProto } from './proto/types.js';
import type { Graph } from './ir/graph.js';
import type { Model } from './ir/model.js';

/** The ai.onnx operator-set versions glassbox reads (and normalises to MAX_OPSET). */
export const MIN_OPSET = 9;
export const MAX_OPSET = 21;

/** Domains whose ops onnxruntime's CPU build can execute. */
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft', 'ai.onnx.preview.training']);

/** Refuse to build tensors beyond this many elements (2^31): no real model needs more per tensor. */
const MAX_ELEMENTS = 2 ** 31;

/**
 * Structural checks made before a model reaches onnxruntime, so that a malformed file fails with
 * a message naming the problem instead of crashing or confusing the runtime: supported opset,
 * tensor data that matches its declared type and shape, every value defined exactly once, no
 * cycles, typed inputs and outputs.
 */
export function validateModel(model: Model, source = 'model'): void {
  const opset = model.opset;
  if (!model.opsets.has('') && !model.opsets.has('ai.onnx')) {
    throw new GlassboxError('unsupported-opset', `${source}: the model imports no ai.onnx operator set`);
  }
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new GlassboxError('unsupported-opset', `${source}: opset ${opset} is not supported (glassbox reads ai.onnx opsets ${MIN_OPSET} to ${MAX_OPSET}; re-export the model with opset_version=17)`);
  }
  for (const [domain, version] of model.opsets) {
    if (!Number.isInteger(version) || version < 1) throw new GlassboxError('bad-model', `${source}: invalid version ${version} for operator set "${domain}"`);
  }
  validateGraph(model.graph, source, new Set(), true, model);
}

function validateGraph(graph: Graph, source: string, outer: ReadonlySet<string>, main: boolean, model: Model): void {
  const where = (what: string): string => `${source}: ${what}`;
  const defined = new Set<string>();
  const define = (name: string, by: string): void => {
    if (defined.has(name)) throw new GlassboxError('bad-model', where(`value "${name}" is defined twice (again by ${by})`));
    defined.add(name);
  };
  for (const [name, tensor] of graph.initializers) {
    if (!name) throw new GlassboxError('bad-model', where('an initializer has no name'));
    validateTensor(tensor, where(`initializer "${name}"`));
    define(name, 'an initializer');
  }
  for (const input of graph.inputs) {
    if (!input.name) throw new GlassboxError('bad-model', where('a graph input has no name'));
    if (graph.initializers.has(input.name)) continue; // IR < 4 lists initializers as inputs too
    if (main && input.elemType === undefined) throw new GlassboxError('bad-model', where(`graph input "${input.name}" has no tensor type`));
    if (main && input.elemType !== undefined && !dtypeFromOnnx(input.elemType)) {
      throw new GlassboxError('unsupported-dtype', where(`graph input "${input.name}" has element type ${onnxDTypeName(input.elemType)}, which glassbox does not support`));
    }
    for (const d of input.shape ?? []) {
      if (typeof d === 'number' && (d < 0 || !Number.isSafeInteger(d))) throw new GlassboxError('bad-model', where(`graph input "${input.name}" has an invalid dimension ${d}`));
    }
    define(input.name, 'a graph input');
  }
  graph.nodes.forEach((node, index) => {
    if (!node.opType) throw new GlassboxError('bad-model', where(`node #${index} has no operator type`));
    if (!KNOWN_DOMAINS.has(node.domain) && !model.functions.some((f) => f.domain === node.domain)) {
      throw new GlassboxError('unsupported-op', where(`${node.describe(index)} uses operator domain "${node.domain}", which onnxruntime does not provide`));
    }
    if (!model.opsets.has(node.domain) && !(node.domain === 'ai.onnx' && model.opsets.has('')) && !(node.domain === '' && model.opsets.has('ai.onnx'))) {
      throw new GlassboxError('bad-model', where(`${node.describe(index)} uses domain "${node.domain}", but the model imports no operator set for it`));
    }
    for (const output of node.outputs) if (output) define(output, node.describe(index));
    for (const [name, attr] of node.attributes) {
      if (attr.type === 'tensor') validateTensor(attr.value, where(`attribute "${name}" of ${node.describe(index)}`));
      if (attr.type === 'tensors') attr.value.forEach((t) => validateTensor(t, where(`attribute "${name}" of ${node.describe(index)}`)));
    }
  });
  // Every read value must be defined (here or in an enclosing graph) and the graph acyclic.
  graph.topologicalOrder(outer);
  const scope = new Set([...outer, ...defined]);
  for (const node of graph.nodes) {
    for (const attr of node.attributes.values()) {
      const subgraphs = attr.type === 'graph' ? [attr.value] : attr.type === 'graphs' ? attr.value : [];
      for (const sub of subgraphs) validateGraph(sub, source, scope, false, model);
    }
  }
  if (main && graph.outputs.length === 0) throw new GlassboxError('bad-model', where('the graph has no outputs'));
  for (const output of graph.outputs) {
    if (!scope.has(output.name)) throw new GlassboxError('bad-model', where(`graph output "${output.name}" is not produced by any node`));
  }
}

/** A tensor's declared type and shape must agree with the data it carries. */
export function validateTensor(tensor: TensorProto, label: string): void {
  const code = tensor.data_type ?? 0;
  const dtype = dtypeFromOnnx(code);
  if (!dtype) throw new GlassboxError('unsupported-dtype', `${label} has element type ${onnxDTypeName(code)}, which glassbox does not support`);
  const dims = tensor.dims.map((d) => int64ToNumber(d));
  let size = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new GlassboxError('bad-model', `${label} has invalid dims ${formatShape(dims)}`);
    size *= d;
  }
  if (size > MAX_ELEMENTS) throw new GlassboxError('bad-model', `${label} claims ${size} elements (dims ${formatShape(dims)}), more than glassbox accepts`);
  if (tensor.data_location === 1) return; // checked when the external file is read
  if (dtype === 'string') {
    if (tensor.string_data.length !== size) throw new GlassboxError('bad-model', `${label} of shape ${formatShape(dims)} needs ${size} strings, has ${tensor.string_data.length}`);
    return;
  }
  const raw = tensor.raw_data?.length ?? 0;
  const typed = tensor.float_data.length + tensor.int32_data.length + tensor.int64_data.length + tensor.double_data.length + tensor.uint64_data.length;
  if (raw > 0) {
    const want = size * bytesPerElement(dtype);
    if (raw !== want) throw new GlassboxError('bad-model', `${label} of type ${dtype} and shape ${formatShape(dims)} needs ${want} bytes of data, has ${raw}`);
    if (typed > 0) throw new GlassboxError('bad-model', `${label} carries both raw_data and typed data fields`);
  } else if (typed !== size) {
    throw new GlassboxError('bad-model', `${label} of shape ${formatShape(dims)} needs ${size} values, has ${typed}`);
  }
}
