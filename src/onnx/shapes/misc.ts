import type { Dim } from '../ir/value.js';
import { protoDims } from '../ir/tensor-proto.js';
import { int64ToNumber } from '../proto/codec.js';
import type { SparseTensorProto } from '../proto/types.js';
import { isIntegerType, knownFromProto, makeValue, normAxis, numbers, T } from './helpers.js';
import { reducedShape } from './reduce.js';
import { unknown, type Rule, type RuleContext, type RuleTable, type ValueType } from './types.js';

/** Types, constants, shape queries, index-producing ops and same-shape activations. */

function like(ctx: RuleContext, i = 0, elemType = ctx.elemType(i)): ValueType {
  const out: ValueType = {};
  if (elemType !== undefined) out.elemType = elemType;
  const s = ctx.shape(i);
  if (s) out.shape = [...s];
  return out;
}

/** Same type and shape as input 0; the value too, for ops that do not change it. */
const same: Rule = (ctx) => [like(ctx)];
const identity: Rule = (ctx) => {
  const out = like(ctx);
  const v = ctx.value(0);
  if (v) out.value = v;
  return [out];
};
const boolLike: Rule = (ctx) => [like(ctx, 0, T.BOOL)];

/**
 * Unary ops that exporters apply to shape arithmetic done in floats (Cast -> Div -> Floor ->
 * Cast): numbers fold; a symbol is a positive integer, so rounding and Abs leave it as it is.
 */
function unaryValue(f: (x: number) => number, onSymbol: (ctx: RuleContext, s: string) => Dim): Rule {
  return (ctx) => {
    const out = like(ctx);
    const v = ctx.value(0);
    if (v) out.value = { shape: v.shape, values: v.values.map((x) => (x === null ? null : typeof x === 'number' ? f(x) : onSymbol(ctx, x))) };
    return [out];
  };
}

const itself = (_ctx: RuleContext, s: string): Dim => s;

/** ONNX Round rounds halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** QuantizeLinear's output type is its zero point's, or output_dtype (21+), else uint8. */
const quantize: Rule = (ctx) => {
  const type = ctx.elemType(2) ?? (ctx.node.has('output_dtype') ? ctx.node.int('output_dtype') : T.UINT8);
  return [like(ctx, 0, type)];
};

/** Cast keeps a symbolic element (it is an integer in any numeric type) but not into bool. */
function castValue(value: Dim, to: number): Dim {
  if (to === T.BOOL) return typeof value === 'number' ? (value !== 0 ? 1 : 0) : null;
  if (typeof value !== 'number') return value;
  if (isIntegerType(to)) return Number.isFinite(value) ? Math.trunc(value) : null;
  return to === T.FLOAT ? Math.fround(value) : value;
}

function cast(to: number | undefined, ctx: RuleContext): ValueType[] {
  const out = like(ctx, 0, to);
  const v = ctx.value(0);
  if (v && to !== undefined && to !== T.STRING) out.value = { shape: v.shape, values: v.values.map((x) => castValue(x, to)) };
  return [out];
}

/** Cast's `to` is a type code from opset 6, a type name ("FLOAT") before. */
function castTarget(ctx: RuleContext): number | undefined {
  const attr = ctx.node.attributes.get('to');
  if (attr?.type === 'string') return OLD_TYPE_NAMES[attr.value];
  return ctx.node.int('to');
}

const OLD_TYPE_NAMES: Record<string, number> = {
  FLOAT: T.FLOAT, UINT8: T.UINT8, INT8: T.INT8, UINT16: T.UINT16, INT16: T.INT16, INT32: T.INT32,
  INT64: T.INT64, STRING: T.STRING, BOOL: T.BOOL, FLOAT16: T.FLOAT16, DOUBLE: T.DOUBLE, UINT32: T.UINT32, UINT64: T.UINT64,
};

const shapeOp: Rule = (ctx) => {
  const out: ValueType = { elemType: T.INT64 };
  const x = ctx.shape(0);
  if (!x) return [out];
  // Opset 15 start/end: negative counts from the back, both clamp to [0, rank].
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + x.length : v, 0), x.length);
  const start = clamp(ctx.node.int('start', 0));
  const end = ctx.node.has('end') ? clamp(ctx.node.int('end')) : x.length;
  const dims = x.slice(start, Math.max(start, end));
  out.shape = [dims.length];
  const value = makeValue(ctx, [dims.length], dims);
  if (value) out.value = value;
  return [out];
};

const size: Rule = (ctx) => {
  const out: ValueType = { elemType: T.INT64, shape: [] };
  const x = ctx.shape(0);
  if (x) out.value = { shape: [], values: [ctx.sym.product(x)] };
  return [out];
};

const constant: Rule = (ctx) => {
  const n = ctx.node;
  const list = (type: number, len: number): ValueType => ({ elemType: type, shape: [len] });
  let out: ValueType;
  if (n.has('value')) {
    const proto = n.tensor('value')!;
    out = { shape: protoDims(proto) };
    if (proto.data_type) out.elemType = proto.data_type;
    const v = knownFromProto(proto, ctx.maxValueElements);
    if (v) out.value = v;
  } else if (n.has('value_float')) {
    out = { elemType: T.FLOAT, shape: [], value: { shape: [], values: [n.float('value_float')] } };
  } else if (n.has('value_floats')) {
    const values = n.floats('value_floats');
    out = { ...list(T.FLOAT, values.length), value: { shape: [values.length], values } };
  } else if (n.has('value_int')) {
    out = { elemType: T.INT64, shape: [], value: { shape: [], values: [n.int('value_int')] } };
  } else if (n.has('value_ints')) {
    const values = n.ints('value_ints');
    out = { ...list(T.INT64, values.length), value: { shape: [values.length], values } };
  } else if (n.has('value_string')) {
    out = { elemType: T.STRING, shape: [] };
  } else if (n.has('value_strings')) {
    out = list(T.STRING, n.strings('value_strings').length);
  } else if (n.attributes.get('sparse_value')?.type === 'sparse_tensor') {
    const sparse = n.attributes.get('sparse_value')!.value as SparseTensorProto;
    out = { shape: sparse.dims.map((d) => int64ToNumber(d)) };
    if (sparse.values?.data_type) out.elemType = sparse.values.data_type;
  } else {
    unknown('Constant without a value attribute');
  }
  if (out.value && out.value.values.length > ctx.maxValueElements) delete out.value;
  return [out];
};

/** No real tensor has more dims; a larger claimed rank is a broken file, not a shape to build. */
const MAX_RANK = 64;

const constantOfShape: Rule = (ctx) => {
  const proto = ctx.node.has('value') ? ctx.node.tensor('value') : undefined;
  const out: ValueType = { elemType: proto?.data_type ?? T.FLOAT };
  const target = ctx.value(0)?.values;
  const len = ctx.shape(0)?.[0];
  if (target?.some((d) => typeof d === 'number' && d < 0)) unknown('ConstantOfShape has a negative dimension');
  if (target) out.shape = [...target];
  else if (typeof len === 'number' && len <= MAX_RANK) out.shape = new Array<Dim>(len).fill(null);
  const fill = proto ? numbers(knownFromProto(proto, 1))?.[0] : 0;
  const n = out.shape?.reduce<number | null>((a, d) => (a !== null && typeof d === 'number' ? a * d : null), 1);
  if (fill !== undefined && out.shape && typeof n === 'number' && n <= ctx.maxValueElements) {
    const value = makeValue(ctx, out.shape, new Array<Dim>(n).fill(fill));
    if (value) out.value = value;
  }
  return [out];
};

const range: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) out.elemType = elemType;
  const [start, limit, delta] = [0, 1, 2].map((i) => ctx.value(i)?.values[0] ?? null) as [Dim, Dim, Dim];
  let len: Dim = null;
  if (typeof start === 'number' && typeof limit === 'number' && typeof delta === 'number') {
    if (delta === 0) unknown('Range delta is 0');
    const span = elemType === T.FLOAT ? Math.fround(limit - start) : limit - start;
    len = Math.max(Math.ceil(span / delta), 0);
    // Materialise the values only when they are small enough to follow (never for a huge range).
    const value = len <= ctx.maxValueElements ? makeValue(ctx, [len], Array.from({ length: len }, (_, i) => start + i * delta)) : undefined;
    if (value && isIntegerType(elemType)) out.value = value;
  } else if (start === 0 && typeof delta === 'number' && Number.isInteger(delta) && delta > 0) {
    len = ctx.sym.ceilDiv(limit, delta); // Range(0, n, d) has ceil(n / d) elements, n a dim >= 0
  }
  out.shape = [len];
  return [out];
};

/** ArgMax/ArgMin: int64 indices, the axis reduced (kept as 1 by default). */
const argReduce: Rule = (ctx) => {
  const out: ValueType = { elemType: T.INT64 };
  const x = ctx.shape(0);
  if (x) out.shape = reducedShape(x, [ctx.node.int('axis', 0)], ctx.node.int('keepdims', 1) === 1);
  return [out];
};

const topK: Rule = (ctx) => {
  const values = like(ctx);
  const indices: ValueType = { elemType: T.INT64 };
  const x = values.shape;
  if (x) {
    const axis = normAxis(ctx.node.int('axis', -1), x.length);
    // k: attribute up to opset 9, a one-element input from 10.
    const k = ctx.node.has('k') ? ctx.node.int('k') : ctx.value(1)?.values[0] ?? null;
    values.shape = x.map((d, i) => (i === axis ? k : d));
    indices.shape = [...values.shape];
  }
  return [values, indices];
};

const nonZero: Rule = (ctx) => {
  const x = ctx.shape(0);
  // How many elements are non-zero is data, never shape.
  return [x ? { elemType: T.INT64, shape: [x.length, null] } : { elemType: T.INT64 }];
};

/** Dropout: output like X; the mask is bool from opset 10 (the data type before). */
const dropout: Rule = (ctx) => {
  const mask = like(ctx, 0, ctx.opset >= 10 ? T.BOOL : ctx.elemType(0));
  return [identity(ctx)[0], mask];
};

const oneHot: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(2);
  if (elemType !== undefined) out.elemType = elemType;
  const indices = ctx.shape(0);
  if (!indices) return [out];
  const depth = ctx.value(1)?.values[0] ?? null;
  const axis = normAxis(ctx.node.int('axis', -1), indices.length + 1);
  out.shape = [...indices.slice(0, axis), typeof depth === 'number' ? Math.trunc(depth) : depth, ...indices.slice(axis)];
  return [out];
};

const ACTIVATIONS = [
  'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Sign', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh',
  'LeakyRelu', 'Elu', 'Selu', 'Celu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Gelu', 'Mish',
  'ThresholdedRelu', 'Clip', 'Shrink', 'BitwiseNot', 'Softmax', 'LogSoftmax', 'Hardmax', 'CumSum', 'Trilu',
  'ReverseSequence', 'Binarizer',
];

export const miscRules: RuleTable = {
  ...Object.fromEntries(ACTIVATIONS.map((op) => [op, same])),
  Floor: unaryValue(Math.floor, itself),
  Ceil: unaryValue(Math.ceil, itself),
  Round: unaryValue(roundHalfEven, itself),
  Abs: unaryValue(Math.abs, itself),
  Neg: unaryValue((x) => -x, (ctx, s) => ctx.sym.sub(0, s)),
  QuantizeLinear: quantize,
  DequantizeLinear: (ctx) => [like(ctx, 0, ctx.elemType(1))],
  DynamicQuantizeLinear: (ctx) => [like(ctx, 0, T.UINT8), { elemType: T.FLOAT, shape: [] }, { elemType: T.UINT8, shape: [] }],
  Identity: identity,
  Not: boolLike,
  IsNaN: boolLike,
  IsInf: boolLike,
  Cast: (ctx) => cast(castTarget(ctx), ctx),
  CastLike: (ctx) => cast(ctx.elemType(1), ctx),
  Shape: shapeOp,
  Size: size,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
  ArgMax: argReduce,
  ArgMin: argReduce,
  TopK: topK,
  NonZero: nonZero,
  Dropout: dropout,
  OneHot: oneHot,
  EyeLike: (ctx) => [like(ctx, 0, ctx.node.has('dtype') ? ctx.node.int('dtype') : ctx.elemType(0))],
};
