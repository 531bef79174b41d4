import { GlassboxError } from '../../util/errors.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { Dim, ValueInfo } from '../ir/value.js';
import { checkDim, knownFromProto } from './helpers.js';
import { protoDims } from '../ir/tensor-proto.js';
import { int64ToNumber } from '../proto/codec.js';
import { ruleFor } from './registry.js';
import { SymbolTable } from './symbolic.js';
import { ShapeUnknown, type Cause, type KnownValue, type RuleContext, type ShapeReport, type ValueReport, type ValueType } from './types.js';

export interface InferShapesOptions {
  /** Largest small tensor (elements) whose values are followed. Default 64. */
  maxValueElements?: number;
  /**
   * Fall back on the model's own value_info for values no rule could determine, and feed it
   * to later rules. Default true; turn it off to measure the rules alone.
   */
  useDeclared?: boolean;
}

interface Entry extends ValueType {
  cause?: Cause;
  declared?: boolean;
}

/**
 * Static shape and type inference: walks the graph in topological order, applies the rule of
 * each op to what is known about its inputs, and records element types and shapes (with
 * symbolic dims) in `model.graph.valueInfo`. Ops without a rule leave their outputs unknown;
 * nothing is guessed. Graph inputs and outputs keep their declarations.
 */
export function inferShapes(model: Model, options: InferShapesOptions = {}): ShapeReport {
  const graph = model.graph;
  const max = options.maxValueElements ?? 64;
  const useDeclared = options.useDeclared ?? true;
  const sym = new SymbolTable();
  const env = new Map<string, Entry>();

  for (const input of graph.inputs) {
    for (const d of input.shape ?? []) if (typeof d === 'string' && d !== '') sym.addBase(d);
  }
  for (const [name, proto] of graph.initializers) {
    const entry: Entry = { shape: protoDims(proto) };
    if (proto.data_type) entry.elemType = proto.data_type;
    // An initializer that is also a graph input is only a default: its values may be overridden.
    const value = knownFromProto(proto, max);
    if (value && !graph.inputs.some((v) => v.name === name)) entry.value = value;
    env.set(name, entry);
  }
  for (const sparse of graph.sparseInitializers) {
    const name = sparse.values?.name;
    if (!name) continue;
    const entry: Entry = { shape: sparse.dims.map((d) => int64ToNumber(d)) };
    if (sparse.values?.data_type) entry.elemType = sparse.values.data_type;
    env.set(name, entry);
  }
  for (const input of graph.inputs) {
    const entry: Entry = { ...env.get(input.name) };
    if (input.elemType !== undefined) entry.elemType = input.elemType;
    // An empty dim_param names nothing: it is an unknown dim, not a symbol.
    if (input.shape) entry.shape = input.shape.map((d) => (d === '' ? null : d));
    if (!entry.shape) entry.cause = { node: `graph input "${input.name}"`, opType: '', reason: 'the input declares no shape' };
    env.set(input.name, entry);
  }

  let order: Node[];
  try {
    order = graph.topologicalOrder();
  } catch {
    order = graph.nodes; // a broken graph still gets what file order allows
  }
  const unsupported = new Set<string>();
  const opset = model.opset;
  const index = new Map(graph.nodes.map((n, i) => [n, i]));
  order.forEach((node) => {
    const rule = node.domain === '' || node.domain === 'ai.onnx' ? ruleFor(node.opType) : undefined;
    const here = (reason: string): Cause => ({ node: node.describe(index.get(node)), opType: node.opType, reason });
    let results: (ValueType | undefined)[] = [];
    let failure: string | undefined;
    if (!rule) {
      unsupported.add(node.domain ? `${node.domain}.${node.opType}` : node.opType);
      failure = `no shape rule for ${node.domain ? `${node.domain}.` : ''}${node.opType}`;
    } else {
      try {
        results = rule(contextFor(node, env, sym, opset, max));
      } catch (error) {
        // Malformed attributes surface as GlassboxErrors: the model is wrong, not the rule.
        if (!(error instanceof ShapeUnknown || error instanceof GlassboxError)) throw error;
        failure = error.message;
      }
    }
    // An input without a known rank explains an unknown output better than the node itself.
    const inherited = node.inputs.map((n) => (n ? env.get(n) : undefined)).find((e) => e && !e.shape && e.cause)?.cause;
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const entry: Entry = sanitize(results[i]);
      if (!entry.shape) {
        entry.cause = inherited ?? here(failure ?? results[i]?.reason ?? 'its rule could not determine this output');
        const declared = useDeclared ? graph.valueInfo.get(name) ?? graph.outputs.find((o) => o.name === name) : undefined;
        if (declared?.shape) {
          entry.shape = [...declared.shape];
          entry.declared = true;
          if (entry.elemType === undefined && declared.elemType !== undefined) entry.elemType = declared.elemType;
        }
      }
      env.set(name, entry);
    });
  });

  return record(model, order, env, sym, [...unsupported].sort());
}

/** Drops anything a rule claimed that cannot be a dim, rather than passing it on. */
function sanitize(result: ValueType | undefined): Entry {
  const entry: Entry = {};
  if (!result) return entry;
  if (result.elemType !== undefined) entry.elemType = result.elemType;
  if (result.shape) {
    try {
      entry.shape = result.shape.map(checkDim);
    } catch {
      return entry;
    }
    if (result.value && sameSize(result.shape, result.value)) entry.value = result.value;
  }
  return entry;
}

function sameSize(shape: Dim[], value: KnownValue): boolean {
  return shape.length === value.shape.length && shape.every((d, i) => d === value.shape[i])
    && value.values.length === value.shape.reduce((a, b) => a * b, 1);
}

function contextFor(node: Node, env: Map<string, Entry>, sym: SymbolTable, opset: number, max: number): RuleContext {
  const get = (i: number): Entry | undefined => {
    const name = node.inputs[i];
    return name ? env.get(name) ?? {} : undefined;
  };
  return {
    node, opset, sym, maxValueElements: max,
    has: (i) => Boolean(node.inputs[i]),
    input: get,
    shape: (i) => get(i)?.shape,
    elemType: (i) => get(i)?.elemType,
    value: (i) => get(i)?.value,
    ints(attr, i) {
      if (node.has(attr)) return node.ints(attr);
      if (!node.inputs[i]) return undefined;
      const v = get(i)?.value;
      if (!v || v.values.some((x) => typeof x !== 'number')) return null;
      return v.values as number[];
    },
  };
}

function record(model: Model, order: Node[], env: Map<string, Entry>, sym: SymbolTable, unsupported: string[]): ShapeReport {
  const graph = model.graph;
  const outerNames = new Set([...graph.inputs, ...graph.outputs].map((v) => v.name));
  const values: ValueReport[] = [];
  let knownRank = 0;
  let fullyStatic = 0;
  for (const node of order) {
    for (const name of node.outputs) {
      if (!name) continue;
      const e = env.get(name)!;
      const report: ValueReport = { name, status: e.shape ? (e.declared ? 'declared' : 'inferred') : 'unknown' };
      if (e.elemType !== undefined) report.elemType = e.elemType;
      if (e.shape) report.shape = e.shape;
      if (!e.shape || e.declared) report.stoppedAt = e.cause!;
      values.push(report);
      if (e.shape) knownRank++;
      if (e.shape?.every((d) => typeof d === 'number')) fullyStatic++;
      if (e.declared) continue;
      if (outerNames.has(name)) {
        fillOutputDeclaration(graph.outputs.find((o) => o.name === name), e);
        continue;
      }
      if (e.shape || e.elemType !== undefined) graph.valueInfo.set(name, toValueInfo(name, e, graph.valueInfo.get(name)));
    }
  }
  return { values, knownRank, fullyStatic, total: values.length, unsupportedOps: unsupported, symbols: sym };
}

/** Graph outputs keep their declarations; inference only fills what they leave open. */
function fillOutputDeclaration(output: ValueInfo | undefined, e: Entry): void {
  if (!output) return;
  if (output.elemType === undefined && e.elemType !== undefined) output.elemType = e.elemType;
  if (!output.shape && e.shape) output.shape = [...e.shape];
  else if (output.shape && e.shape && output.shape.length === e.shape.length) {
    output.shape = output.shape.map((d, i) => (d === null || d === '' ? e.shape![i]! : d));
  }
}

function toValueInfo(name: string, e: Entry, previous: ValueInfo | undefined): ValueInfo {
  const info: ValueInfo = { name };
  if (previous?.proto) info.proto = previous.proto;
  if (previous?.docString !== undefined) info.docString = previous.docString;
  const elemType = e.elemType ?? previous?.elemType;
  if (elemType !== undefined) info.elemType = elemType;
  const shape = e.shape ?? previous?.shape;
  if (shape) info.shape = [...shape];
  return info;
}
