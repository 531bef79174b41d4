import type { Dim } from '../ir/value.js';
import { HUGE, makeValue, normAxis, numbers } from './helpers.js';
import { stridesOf } from '../../tensor/shape.js';
import type { SymbolTable } from './symbolic.js';
import { unknown, type KnownValue, type Rule, type RuleContext, type RuleTable, type ValueType } from './types.js';

/** Slice and the Gather family (a part of shape-ops, kept apart to keep files small). */

function sameType(ctx: RuleContext, i = 0): ValueType {
  const elemType = ctx.elemType(i);
  return elemType === undefined ? {} : { elemType };
}

/** [first index, element count] of a slice of a numeric dim, as the ONNX spec clamps it. */
function sliceRange(d: number, start: number, end: number, step: number): [number, number] {
  const s0 = start < 0 ? start + d : start;
  const e0 = end < 0 ? end + d : end;
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  if (step > 0) {
    const s = clamp(s0, 0, d);
    return [s, Math.max(0, Math.ceil((clamp(e0, 0, d) - s) / step))];
  }
  const s = clamp(s0, 0, d - 1);
  return [s, Math.max(0, Math.ceil((s - clamp(e0, -1, d - 1)) / -step))];
}

/**
 * The sliced length of a symbolic dim: only slices whose bounds do not depend on the dim's
 * value, assuming (as everywhere) that symbols are at least 1: the whole axis (either
 * direction, any step), or dropping one element at either end with step 1.
 */
function symbolicSlice(sym: SymbolTable, d: Dim, start: number, end: number, step: number): Dim {
  if (step > 0) {
    const head = start === 0 || start <= -HUGE ? 0 : start === 1 ? 1 : undefined;
    const tail = end >= HUGE ? 0 : end === -1 ? 1 : undefined;
    if (head === undefined || tail === undefined) return null;
    if (head === 0 && tail === 0) return sym.ceilDiv(d, step);
    return step === 1 && head + tail === 1 ? sym.sub(d, 1) : null;
  }
  const fromEnd = start >= HUGE || start === -1;
  return fromEnd && end <= -HUGE ? sym.ceilDiv(d, -step) : null;
}

const slice: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  if (!x) return [out];
  // Opset 1-9: attributes starts/ends/axes; 10+: inputs 1-4 (starts, ends, axes, steps).
  const starts = ctx.ints('starts', 1);
  const ends = ctx.ints('ends', 2);
  const axesArg = ctx.ints('axes', 3);
  const stepsArg = ctx.ints('steps', 4);
  const n = starts?.length ?? ends?.length ?? (typeof ctx.shape(1)?.[0] === 'number' ? (ctx.shape(1)![0] as number) : undefined);
  const axes = axesArg === undefined ? (n === undefined ? null : Array.from({ length: n }, (_, i) => i)) : axesArg;
  if (!axes) {
    out.shape = x.map(() => null);
    return [out];
  }
  const norm = axes.map((a) => normAxis(a, x.length));
  out.shape = [...x];
  if (!starts || !ends || stepsArg === null) {
    for (const a of norm) out.shape[a] = null;
    return [out];
  }
  const steps = stepsArg ?? norm.map(() => 1);
  if (starts.length !== norm.length || ends.length !== norm.length || steps.length !== norm.length) unknown('Slice starts, ends, axes and steps differ in length');
  // Per axis, the input indices the output reads — only for slicing a known (small) value:
  // materialising them for a real tensor's dims would cost memory proportional to its size.
  const v = ctx.value(0);
  const picked: (number[] | undefined)[] = x.map((d) => (v && typeof d === 'number' ? Array.from({ length: d }, (_, k) => k) : undefined));
  norm.forEach((a, i) => {
    const [d, s, e, st] = [x[a]!, starts[i]!, ends[i]!, steps[i]!];
    if (st === 0) unknown('Slice step is 0');
    if (typeof d !== 'number') {
      out.shape![a] = symbolicSlice(ctx.sym, d, s, e, st);
      return;
    }
    const [first, count] = sliceRange(d, s, e, st);
    out.shape![a] = count;
    if (v) picked[a] = Array.from({ length: count }, (_, k) => first + k * st);
  });
  if (v && picked.every((p) => p !== undefined)) {
    const value = makeValue(ctx, out.shape, gatherCoords(v, picked as number[][]));
    if (value) out.value = value;
  }
  return [out];
};

/** The elements of `v` at the cartesian product of per-axis index lists, row-major. */
function gatherCoords(v: KnownValue, picked: number[][]): Dim[] {
  const st = stridesOf(v.shape);
  let offsets = [0];
  picked.forEach((idx, axis) => {
    offsets = offsets.flatMap((o) => idx.map((k) => o + k * st[axis]!));
  });
  return offsets.map((o) => v.values[o] ?? null);
}

const gather: Rule = (ctx) => {
  const out = sameType(ctx);
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  if (!data || !indices) return [out];
  const axis = normAxis(ctx.node.int('axis', 0), data.length);
  out.shape = [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)];
  const v = ctx.value(0);
  const idx = numbers(ctx.value(1));
  if (v && idx && data.length === 1) {
    const n = v.values.length;
    const values = idx.map((i) => (i < -n || i >= n ? unknown(`Gather index ${i} is out of range for ${n} elements`) : v.values[i < 0 ? i + n : i]!));
    const value = makeValue(ctx, indices.length === 0 ? [] : [values.length], values);
    if (value) out.value = value;
  }
  return [out];
};

const gatherElements: Rule = (ctx) => {
  const out = sameType(ctx);
  const indices = ctx.shape(1);
  if (indices) out.shape = [...indices];
  return [out];
};

const gatherND: Rule = (ctx) => {
  const out = sameType(ctx);
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  if (!data || !indices || indices.length === 0) return [out];
  const batch = ctx.node.int('batch_dims', 0);
  const q = indices[indices.length - 1];
  if (typeof q !== 'number') return [out];
  if (batch + q > data.length) unknown('GatherND index tuples are longer than the data rank');
  out.shape = [...indices.slice(0, -1), ...data.slice(batch + q)];
  return [out];
};

/** Scatter writes into a copy of data: the output has data's type and shape. */
const scatter: Rule = (ctx) => {
  const out = sameType(ctx);
  const data = ctx.shape(0);
  if (data) out.shape = [...data];
  return [out];
};

export const indexingRules: RuleTable = {
  Slice: slice,
  Gather: gather,
  GatherElements: gatherElements,
  GatherND: gatherND,
  ScatterElements: scatter,
  ScatterND: scatter,
  Scatter: scatter,
};
