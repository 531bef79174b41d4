import { isFloat } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { dependencies } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { tensorToProto } from '../ir/tensor-proto.js';
import { isOnnxDomain, type Rewriter } from './context.js';

/**
 * Fuses LayerNormalization spelled out in primitives (what exporters emit below opset 17):
 *
 *   mean = ReduceMean(x, A)   d = Sub(x, mean)   var = ReduceMean(Pow(d, 2) | Mul(d, d), A)
 *   n = Div(d, Sqrt(Add(var, eps)))  or  Mul(d, Reciprocal(Sqrt(Add(var, eps))))
 *   y = [Mul(n, gamma)] [Add(., beta)]
 *
 * into LayerNormalization(x, scale, bias, axis=-|A|, epsilon). Only when A are the trailing
 * axes (reductions keep their dims), every intermediate is read by the pattern alone, and gamma
 * and beta are constants whose shape is exactly the normalised shape (so no broadcasting hides
 * in the Mul/Add). A missing gamma becomes a ones scale of the normalised shape.
 */
export function fuseLayerNorms(rw: Rewriter): number {
  const readers = readerMap(rw);
  let fused = 0;
  for (const node of [...rw.graph.nodes]) {
    if (node.opType !== 'ReduceMean' || !isOnnxDomain(node.domain)) continue;
    const match = matchAt(node, rw, readers);
    if (!match) continue;
    replace(match, rw);
    fused++;
  }
  return fused;
}

interface Match {
  x: string;
  axes: number;
  epsilon: number;
  gamma?: string;
  beta?: string;
  output: string;
  nodes: Node[];
  dtype: Tensor['dtype'];
}

type Readers = Map<string, { nodes: Node[]; external: boolean }>;

/** Who reads each value; `external` marks graph outputs and captures by subgraphs. */
function readerMap(rw: Rewriter): Readers {
  const map: Readers = new Map();
  const entry = (name: string) => {
    let e = map.get(name);
    if (!e) map.set(name, (e = { nodes: [], external: false }));
    return e;
  };
  for (const output of rw.graph.outputs) entry(output.name).external = true;
  for (const node of rw.graph.nodes) {
    for (const input of node.inputs) if (input) entry(input).nodes.push(node);
    const direct = new Set(node.inputs);
    for (const dep of dependencies(node)) if (!direct.has(dep)) entry(dep).external = true;
  }
  return map;
}

/** The only reader of `name` with one of the op types (and no reader outside `allowed`). */
function soleReader(readers: Readers, name: string, ops: string[]): Node | undefined {
  const e = readers.get(name);
  if (!e || e.external || e.nodes.length !== 1) return undefined;
  const node = e.nodes[0]!;
  return ops.includes(node.opType) && isOnnxDomain(node.domain) ? node : undefined;
}

function matchAt(meanNode: Node, rw: Rewriter, readers: Readers): Match | undefined {
  const x = meanNode.inputs[0];
  const mean = meanNode.outputs[0];
  if (!x || !mean) return undefined;
  const axes = trailingAxes(meanNode, rw, x);
  if (axes === undefined) return undefined;
  const sub = soleReader(readers, mean, ['Sub']);
  if (!sub || sub.inputs[0] !== x || sub.inputs[1] !== mean) return undefined;
  const d = sub.outputs[0]!;
  // d feeds exactly the square and the division.
  const dReaders = readers.get(d);
  if (!dReaders || dReaders.external) return undefined;
  const square = dReaders.nodes.find((n) => (n.opType === 'Pow' && n.inputs[0] === d && isConstant(rw, n.inputs[1], 2)) || (n.opType === 'Mul' && n.inputs[0] === d && n.inputs[1] === d));
  if (!square) return undefined;
  const varNode = soleReader(readers, square.outputs[0]!, ['ReduceMean']);
  if (!varNode || varNode.inputs[0] !== square.outputs[0] || trailingAxes(varNode, rw, square.outputs[0]!) !== axes) return undefined;
  const addEps = soleReader(readers, varNode.outputs[0]!, ['Add']);
  if (!addEps) return undefined;
  const epsName = addEps.inputs[0] === varNode.outputs[0] ? addEps.inputs[1] : addEps.inputs[0];
  const eps = epsName ? rw.constantValue(epsName) : undefined;
  if (!eps || eps.size !== 1 || !isFloat(eps.dtype)) return undefined;
  const sqrt = soleReader(readers, addEps.outputs[0]!, ['Sqrt']);
  if (!sqrt) return undefined;
  const nodes = [meanNode, sub, square, varNode, addEps, sqrt];
  const normalized = divideByStd(d, sqrt.outputs[0]!, readers, nodes);
  if (!normalized) return undefined;
  const dOk = dReaders.nodes.every((n) => n === square || nodes.includes(n));
  if (!dOk) return undefined;
  const match: Match = { x, axes, epsilon: eps.toNumbers()[0]!, output: normalized, nodes, dtype: eps.dtype };
  extendAffine(match, rw, readers);
  return match;
}

/** Div(d, std), or Mul by Reciprocal(std) in either order; returns the normalised value. */
function divideByStd(d: string, std: string, readers: Readers, nodes: Node[]): string | undefined {
  const div = soleReader(readers, std, ['Div', 'Reciprocal']);
  if (!div) return undefined;
  if (div.opType === 'Div') {
    if (div.inputs[0] !== d || div.inputs[1] !== std) return undefined;
    nodes.push(div);
    return div.outputs[0];
  }
  const mul = soleReader(readers, div.outputs[0]!, ['Mul']);
  if (!mul || !(mul.inputs.includes(d) && mul.inputs.includes(div.outputs[0]!))) return undefined;
  nodes.push(div, mul);
  return mul.outputs[0];
}

/** Takes in a following Mul(gamma) and Add(beta) whose constants fit the normalised shape. */
function extendAffine(match: Match, rw: Rewriter, readers: Readers): void {
  for (const [op, key] of [['Mul', 'gamma'], ['Add', 'beta']] as const) {
    const next = soleReader(readers, match.output, [op]);
    if (!next) return;
    const other = next.inputs[0] === match.output ? next.inputs[1] : next.inputs[0];
    if (!other || next.inputs.length !== 2 || !fitsNormalizedShape(rw, other, match)) return;
    if (key === 'beta' && match.gamma === undefined) return; // LayerNormalization's bias comes with a scale
    match[key] = other;
    match.nodes.push(next);
    match.output = next.outputs[0]!;
  }
}

/**
 * A constant whose dims, leading 1s dropped, are the normalised dims: exactly those of x when
 * they are known statically, otherwise |A| dims all greater than 1 (a dim of 1 could broadcast).
 */
function fitsNormalizedShape(rw: Rewriter, name: string, match: Match): boolean {
  const value = rw.constantValue(name);
  if (!value || value.dtype !== match.dtype) return false;
  const dims = [...value.shape];
  while (dims.length > match.axes && dims[0] === 1) dims.shift();
  if (dims.length !== match.axes) return false;
  const xShape = rw.graph.typeOf(match.x)?.shape;
  const normalized = xShape ? xShape.slice(xShape.length - match.axes) : undefined;
  if (normalized && normalized.every((d) => typeof d === 'number')) return normalized.every((d, i) => d === dims[i]);
  return dims.every((d) => d > 1);
}

/** The number of trailing axes a keepdims ReduceMean reduces, or undefined when it is not that. */
function trailingAxes(node: Node, rw: Rewriter, x: string): number | undefined {
  if (node.int('keepdims', 1) !== 1) return undefined;
  let axes: number[] | undefined;
  if (node.has('axes')) axes = node.ints('axes');
  else if (node.input(1)) axes = rw.constantNumbers(node.inputs[1]!);
  else axes = [];
  if (axes === undefined || axes.length === 0) return undefined;
  const rank = rw.facts.rank(x);
  const resolved = axes.map((a) => (a < 0 ? a : rank === undefined ? NaN : a - rank)).sort((a, b) => a - b);
  return resolved.every((a, i) => a === i - resolved.length) ? resolved.length : undefined;
}

function isConstant(rw: Rewriter, name: string | undefined, value: number): boolean {
  const v = name ? rw.constantNumbers(name) : undefined;
  return v !== undefined && v.length === 1 && v[0] === value;
}

function replace(match: Match, rw: Rewriter): void {
  const scale = match.gamma ?? onesScale(match, rw);
  const inputs = match.beta ? [match.x, scale, match.beta] : [match.x, scale];
  rw.graph.nodes = rw.graph.nodes.filter((n) => !match.nodes.includes(n));
  rw.opInto('LayerNormalization', inputs, [match.output], { axis: -match.axes, epsilon: { type: 'float', value: match.epsilon } });
}

/** Scale of ones over the normalised dims: an initializer when they are static, else built from Shape(x). */
function onesScale(match: Match, rw: Rewriter): string {
  const shape = rw.graph.typeOf(match.x)?.shape;
  const dims = shape?.slice(shape.length - match.axes);
  const one = match.dtype === 'float64' ? Tensor.float64([1], [1]) : Tensor.float32([1], [1]);
  if (dims && dims.every((d) => typeof d === 'number') && (match.dtype === 'float32' || match.dtype === 'float64')) {
    const size = (dims as number[]).reduce((a, b) => a * b, 1);
    return rw.constant('ln_scale', match.dtype === 'float32' ? Tensor.float32(dims as number[], new Array<number>(size).fill(1)) : Tensor.float64(dims as number[], new Array<number>(size).fill(1)));
  }
  const normalizedShape = rw.op('Shape', [match.x], { start: -match.axes });
  const ones = rw.op('ConstantOfShape', [normalizedShape], { value: tensorToProto('value', one) });
  return match.dtype === 'float32' || match.dtype === 'float64' ? ones : rw.op('CastLike', [ones, match.x]);
}
