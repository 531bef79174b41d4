import { GlassboxError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { dtypeToOnnx, isFloat, type DType } from '../tensor/dtype.js';
import { toBfloat16Bits, toFloat16Bits } from '../tensor/half.js';
import { Tensor } from '../tensor/tensor.js';
import { tensorToProto } from '../onnx/ir/tensor-proto.js';
import { GraphBuilder } from '../onnx/builder.js';
import { cloneModel } from '../onnx/edit/clone.js';
import { pruneGraph } from '../onnx/edit/dead-code.js';
import type { Graph } from '../onnx/ir/graph.js';
import type { Model } from '../onnx/ir/model.js';
import type { Node } from '../onnx/ir/node.js';
import { inferShapes } from '../onnx/shapes/index.js';
import { NON_DIFFERENTIABLE_OPS } from './coverage.js';
import { Emitter, contextFor } from './context.js';
import { isRecurrent, lowerRecurrent } from './lower/index.js';
import { ruleFor as registeredRule } from './rules/index.js';
import type { GradientRule } from './types.js';
import { ValueFacts } from './values.js';

export interface GradientRequest {
  /** Values to differentiate (graph outputs or intermediate tensors). */
  of: readonly string[];
  /** Values to differentiate with respect to: graph inputs, weights or intermediate tensors. */
  wrt: readonly string[];
  /**
   * 'input' (default): each `of` gets a seed input of its own shape, fed at run time (a one-hot
   * row selects a target class; any tensor gives a vector-Jacobian product).
   * 'ones': the seed is all ones, i.e. the gradient of the sum of `of`.
   */
  seed?: 'input' | 'ones';
  /** Forward values to keep as outputs as well (default: the `of` values). */
  keep?: readonly string[];
  /**
   * Rules that replace the registered ones for some ops, to compute modified backward passes
   * (DeepLift's rescale rule, guided backpropagation). The name identifies the set in caches.
   */
  rules?: RuleSet;
  /**
   * Time steps to unroll LSTM/GRU/RNN nodes on the gradient path whose sequence dim is symbolic
   * (the graph is then valid for this length only: build one per length).
   */
  sequenceLength?: number;
}

export interface RuleSet {
  name: string;
  rules: ReadonlyMap<string, GradientRule>;
}

export interface GradientGraph {
  /** One model computing the kept forward values and the gradients in a single run. */
  model: Model;
  /** Seed input name per `of` value (seed 'input'). */
  seeds: Record<string, string>;
  /** Gradient output name per `wrt` value. */
  gradients: Record<string, string>;
  /** Forward values kept as outputs. */
  outputs: readonly string[];
}

/**
 * Builds the reverse-mode gradient graph of `model` (canonical form, with value types and
 * shapes known) as one ONNX model: the forward nodes, then for each node on a path from a
 * `wrt` value to an `of` value, in reverse order, the nodes its rule emits. Fan-out is summed;
 * nodes nothing needs are removed. The input model is not modified.
 */
export function buildGradientGraph(source: Model, request: GradientRequest): GradientGraph {
  checkNames(source.graph, request, new ValueFacts(source.graph));
  const model = lowerRecurrentOnPath(source, request);
  const graph = model.graph;
  const facts = new ValueFacts(graph);
  const order = graph.topologicalOrder();
  const ruleFor = (op: string): GradientRule | undefined => request.rules?.rules.get(op) ?? registeredRule(op);
  const wrt = new Set(request.wrt);
  const active = activeValues(order, wrt, facts);
  const needed = neededValues(order, new Set(request.of));
  for (const name of request.of) {
    if (!active.has(name)) throw new GlassboxError('no-dependency', `"${name}" does not depend on ${list(request.wrt)} through differentiable operations; its gradient would be zero everywhere`);
  }
  for (const name of request.wrt) {
    if (!needed.has(name)) throw new GlassboxError('no-dependency', `${list(request.of)} does not depend on "${name}"; its gradient would be zero everywhere`);
  }
  const onPath = order.filter((n) => n.outputs.some((o) => o && active.has(o) && needed.has(o)));
  for (const node of onPath) {
    if (!ruleFor(node.opType)) throw missingRule(node, model.opset, order, request, active, needed);
  }

  const builder = new GraphBuilder(graph);
  // Outputs switched on for rules (LayerNormalization's Mean, ...) need types and shapes too.
  const emitter = new Emitter(builder, switchOnSavedOutputs(onPath, builder, ruleFor) ? refreshFacts(model) : facts);

  const contributions = new Map<string, string[]>();
  const addGrad = (name: string, grad: string): void => {
    const list = contributions.get(name);
    if (list) list.push(grad);
    else contributions.set(name, [grad]);
  };
  const seeds: Record<string, string> = {};
  for (const name of request.of) {
    const seed = request.seed === 'ones'
      ? emitter.op('ConstantOfShape', [emitter.shapeOf(name)], { value: onesTensorProto(facts.dtype(name)) })[0]!
      : builder.input(builder.fresh(`${name}_seed`), facts.dtype(name), facts.shape(name));
    if (request.seed !== 'ones') seeds[name] = seed;
    addGrad(name, seed);
  }
  const total = (name: string): string | undefined => {
    const list = contributions.get(name);
    if (!list || list.length === 0) return undefined;
    if (list.length === 1) return list[0];
    const sum = emitter.op('Sum', list)[0]!;
    contributions.set(name, [sum]);
    return sum;
  };

  for (const node of [...onPath].reverse()) {
    const gradOutputs = node.outputs.map((o) => (o && needed.has(o) ? total(o) : undefined));
    if (gradOutputs.every((g) => g === undefined)) continue;
    const rule = ruleFor(node.opType)!;
    const frozen = new Set(rule.nonDifferentiableInputs ?? []);
    const needs = (i: number): boolean => {
      const name = node.inputs[i];
      return Boolean(name) && !frozen.has(i) && active.has(name!);
    };
    if (!node.inputs.some((_, i) => needs(i))) continue;
    builder.prefix = `${node.name || node.opType}_Grad/`;
    const grads = rule.grad(contextFor(node, model.opset, emitter, gradOutputs, needs));
    builder.prefix = '';
    node.inputs.forEach((name, i) => {
      const g = grads[i];
      if (g !== undefined && needs(i)) addGrad(name, g);
    });
  }

  const gradients: Record<string, string> = {};
  const keep = request.keep ?? request.of;
  graph.outputs = keep.map((name) => ({ name, elemType: dtypeToOnnx(facts.dtype(name)), shape: [...facts.shape(name)] }));
  for (const name of request.wrt) {
    // `of` reads this value, but only through non-differentiable ops (its shape, say): the
    // gradient is exactly zero, and said so by an explicit zeros tensor.
    const grad = total(name) ?? emitter.op('ConstantOfShape', [emitter.shapeOf(name)], { value: zeroTensorProto(facts.dtype(name)) })[0]!;
    const out = builder.op('Identity', [grad], undefined, { outputs: [builder.fresh(`${name}_grad`)] })[0]!;
    gradients[name] = out;
    graph.outputs.push({ name: out, elemType: dtypeToOnnx(facts.dtype(name)), shape: [...facts.shape(name)] });
  }
  pruneGraph(graph);
  return { model, seeds, gradients, outputs: keep };
}

/**
 * A copy of `source` in which the LSTM/GRU/RNN nodes on a path from a `wrt` value to an `of`
 * value are unrolled into primitive ops (autodiff/lower), which the rules differentiate.
 */
function lowerRecurrentOnPath(source: Model, request: GradientRequest): Model {
  if (!source.graph.nodes.some(isRecurrent)) return cloneModel(source);
  const order = source.graph.topologicalOrder();
  const active = activeValues(order, new Set(request.wrt), new ValueFacts(source.graph));
  const needed = neededValues(order, new Set(request.of));
  const onPath = new Set(source.graph.nodes.flatMap((n, i) => (isRecurrent(n) && n.outputs.some((o) => o && active.has(o) && needed.has(o)) ? [i] : [])));
  return lowerRecurrent(source, {
    filter: (_, i) => onPath.has(i),
    keep: request.wrt,
    ...(request.sequenceLength !== undefined ? { sequenceLength: request.sequenceLength } : {}),
  });
}

function checkNames(graph: Graph, request: GradientRequest, facts: ValueFacts): void {
  if (request.of.length === 0) throw new GlassboxError('bad-gradient', 'nothing to differentiate: give at least one output');
  if (request.wrt.length === 0) throw new GlassboxError('bad-gradient', 'no variables to differentiate with respect to');
  const values = graph.valueNames();
  for (const name of [...request.of, ...request.wrt]) {
    if (!values.has(name)) throw new GlassboxError('bad-tensor-name', `the model has no tensor named "${name}"${didYouMean(name, values)}`);
    const dtype = facts.dtype(name);
    if (!isFloat(dtype)) throw new GlassboxError('bad-gradient', `"${name}" is ${dtype}; gradients exist only for floating-point tensors (for token ids, differentiate with respect to the embedding output)`);
  }
}

/** Float values that depend on a `wrt` value through differentiable ops. */
function activeValues(order: readonly Node[], wrt: ReadonlySet<string>, facts: ValueFacts): Set<string> {
  const active = new Set(wrt);
  for (const node of order) {
    if (NON_DIFFERENTIABLE_OPS.has(node.opType)) continue;
    if (!node.inputs.some((i) => i && active.has(i))) continue;
    for (const out of node.outputs) if (out && facts.hasDtype(out) && isFloat(facts.dtype(out))) active.add(out);
  }
  return active;
}

/** Values the `of` values depend on. */
function neededValues(order: readonly Node[], of: ReadonlySet<string>): Set<string> {
  const needed = new Set(of);
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    if (node.outputs.some((o) => o && needed.has(o))) for (const i of node.inputs) if (i) needed.add(i);
  }
  return needed;
}

/** Asks forward nodes for the optional outputs their rules reuse (MaxPool indices, ...). */
function switchOnSavedOutputs(nodes: readonly Node[], builder: GraphBuilder, ruleFor: (op: string) => GradientRule | undefined): boolean {
  let added = false;
  for (const node of nodes) {
    for (const index of ruleFor(node.opType)!.savedOutputs?.(node) ?? []) {
      while (node.outputs.length <= index) node.outputs.push('');
      if (!node.outputs[index]) {
        node.outputs[index] = builder.fresh(`${node.name || node.opType}_saved${index}`);
        added = true;
      }
    }
  }
  return added;
}

/** Re-infers shapes (keeping what probing found) and gathers the facts again. */
function refreshFacts(model: Model): ValueFacts {
  inferShapes(model);
  return new ValueFacts(model.graph);
}

function onesTensorProto(dtype: DType) {
  return tensorToProto('value', onesSeedValue(dtype));
}

function zeroTensorProto(dtype: DType) {
  return tensorToProto('value', Tensor.zeros(dtype, [1]));
}

function onesSeedValue(dtype: DType): Tensor {
  const t = Tensor.zeros(dtype, [1]);
  (t.data as Float32Array)[0] = dtype === 'float16' ? toFloat16Bits(1) : dtype === 'bfloat16' ? toBfloat16Bits(1) : 1;
  return t;
}

/** "No gradient rule" with the chain of values from a `wrt` value to an `of` value through the node. */
function missingRule(node: Node, opset: number, order: readonly Node[], request: GradientRequest, active: Set<string>, needed: Set<string>): GlassboxError {
  const producers = new Map<string, Node>();
  for (const n of order) for (const o of n.outputs) if (o) producers.set(o, n);
  // Walk back from the node to a wrt value through active inputs.
  const back: string[] = [];
  let cursor: Node | undefined = node;
  const wrt = new Set(request.wrt);
  while (cursor) {
    const input: string | undefined = cursor.inputs.find((i) => i && active.has(i));
    if (!input) break;
    back.unshift(input);
    if (wrt.has(input)) break;
    cursor = producers.get(input);
  }
  // Walk forward from the node's output to an `of` value through needed values.
  const consumers = new Map<string, Node[]>();
  for (const n of order) for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const forward: string[] = [];
  const of = new Set(request.of);
  let value = node.outputs.find((o) => o && active.has(o) && needed.has(o));
  while (value) {
    forward.push(value);
    if (of.has(value)) break;
    const next = (consumers.get(value) ?? []).flatMap((n) => n.outputs).find((o) => o && active.has(o) && needed.has(o));
    value = next;
  }
  const path = [...back, `[${node.opType}]`, ...forward].join(' → ');
  return new GlassboxError('unsupported-op', `no gradient rule for ${node.opType} (${node.describe()}, opset ${opset}), needed on the path ${path}`);
}

function list(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
