import type { Dim } from '../ir/value.js';
import { attrInts, T } from './helpers.js';
import type { SymbolTable } from './symbolic.js';
import { unknown, type Rule, type RuleContext, type RuleTable, type ValueType } from './types.js';

/**
 * Convolution and pooling. Output sizes follow onnxruntime's arithmetic (which the ONNX spec
 * describes): explicit pads, SAME_UPPER/SAME_LOWER (ceil(in / stride)), VALID, ceil_mode.
 */

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: string;
}

function windowOf(ctx: RuleContext, spatial: number, kernel: number[]): Window {
  const ones = new Array<number>(spatial).fill(1);
  const w: Window = {
    kernel,
    strides: attrInts(ctx, 'strides', ones),
    dilations: attrInts(ctx, 'dilations', ones),
    pads: attrInts(ctx, 'pads', new Array<number>(2 * spatial).fill(0)),
    autoPad: ctx.node.has('auto_pad') ? ctx.node.string('auto_pad') : 'NOTSET',
  };
  if (kernel.length !== spatial || w.strides.length !== spatial || w.dilations.length !== spatial || w.pads.length !== 2 * spatial) {
    unknown(`kernel, strides, dilations or pads do not match the ${spatial} spatial dims of the input`);
  }
  return w;
}

/** The output length of one sliding-window axis. */
function slide(sym: SymbolTable, input: Dim, w: Window, i: number, ceilMode: boolean): Dim {
  const s = w.strides[i]!;
  const dk = w.dilations[i]! * (w.kernel[i]! - 1) + 1;
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return sym.ceilDiv(input, s);
  const [pb, pe] = w.autoPad === 'VALID' ? [0, 0] : [w.pads[i]!, w.pads[i + w.kernel.length]!];
  const span = sym.add(input, pb + pe - dk);
  if (!ceilMode) return sym.add(sym.floorDiv(span, s), 1);
  const out = sym.add(sym.ceilDiv(span, s), 1);
  // A last window that would start inside the end padding is dropped. It never can when
  // pe + s <= dk, whatever the input size; otherwise only numbers can tell.
  if (typeof out === 'number' && typeof input === 'number') return (out - 1) * s >= input + pb ? out - 1 : out;
  return pe + s <= dk ? out : null;
}

function spatialOf(x: Dim[] | undefined): Dim[] | undefined {
  return x && x.length >= 3 ? x.slice(2) : undefined;
}

const conv: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) out.elemType = elemType;
  const x = ctx.shape(0);
  const wShape = ctx.shape(1);
  const spatial = spatialOf(x) ?? (wShape && wShape.length >= 3 ? new Array<Dim>(wShape.length - 2).fill(null) : undefined);
  if (!spatial) return [out];
  const kernel = ctx.node.has('kernel_shape') ? ctx.node.ints('kernel_shape') : wShape?.slice(2);
  const channels = wShape?.[0] ?? null;
  const batch = x?.[0] ?? null;
  if (!kernel || kernel.some((k) => typeof k !== 'number')) {
    out.shape = [batch, channels, ...spatial.map(() => null)];
    return [out];
  }
  const w = windowOf(ctx, spatial.length, kernel as number[]);
  out.shape = [batch, channels, ...spatial.map((d, i) => slide(ctx.sym, d, w, i, false))];
  return [out];
};

const convTranspose: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) out.elemType = elemType;
  const x = ctx.shape(0);
  const wShape = ctx.shape(1);
  const spatial = spatialOf(x);
  if (!spatial) return [out];
  const n = spatial.length;
  const group = ctx.node.int('group', 1);
  const channels = wShape && wShape.length === n + 2 ? ctx.sym.mul(wShape[1]!, group) : null;
  const head: Dim[] = [x![0]!, channels];
  if (ctx.node.has('output_shape')) {
    const given = ctx.node.ints('output_shape');
    if (given.length < n) unknown('output_shape has fewer entries than the input has spatial dims');
    out.shape = [...head, ...given.slice(given.length - n)];
    return [out];
  }
  const kernel = ctx.node.has('kernel_shape') ? ctx.node.ints('kernel_shape') : wShape?.slice(2);
  if (!kernel || kernel.length !== n || kernel.some((k) => typeof k !== 'number')) {
    out.shape = [...head, ...spatial.map(() => null)];
    return [out];
  }
  const w = windowOf(ctx, n, kernel as number[]);
  const outputPadding = attrInts(ctx, 'output_padding', new Array<number>(n).fill(0));
  out.shape = [...head, ...spatial.map((d, i) => {
    const s = w.strides[i]!;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return ctx.sym.mul(d, s);
    const [pb, pe] = w.autoPad === 'VALID' ? [0, 0] : [w.pads[i]!, w.pads[i + n]!];
    const dk = w.dilations[i]! * (w.kernel[i]! - 1) + 1;
    return ctx.sym.add(ctx.sym.mul(ctx.sym.sub(d, 1), s), (outputPadding[i] ?? 0) + dk - pb - pe);
  })];
  return [out];
};

/** MaxPool, AveragePool, LpPool; MaxPool's optional second output holds int64 indices. */
const pool: Rule = (ctx) => {
  const y: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) y.elemType = elemType;
  const x = ctx.shape(0);
  const spatial = spatialOf(x);
  if (spatial) {
    const w = windowOf(ctx, spatial.length, ctx.node.ints('kernel_shape'));
    const ceilMode = ctx.node.int('ceil_mode', 0) === 1;
    y.shape = [x![0]!, x![1]!, ...spatial.map((d, i) => slide(ctx.sym, d, w, i, ceilMode))];
  }
  const indices: ValueType = { elemType: T.INT64 };
  if (y.shape) indices.shape = [...y.shape];
  return [y, indices];
};

const globalPool: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) out.elemType = elemType;
  const x = ctx.shape(0);
  if (x && x.length >= 2) out.shape = [x[0]!, x[1]!, ...x.slice(2).map(() => 1)];
  return [out];
};

export const convRules: RuleTable = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
};
