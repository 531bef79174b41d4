/**
 * Helpers shared by the shape family: run-time dims, small int64 vectors that mix static and
 * run-time entries, zeros, and the constant values of shape/axes/pads inputs.
 */
import { GlassboxError } from '../../../util/errors.js';
import type { DType } from '../../../tensor/dtype.js';
import { Tensor } from '../../../tensor/tensor.js';
import { tensorToProto } from '../../../onnx/ir/tensor-proto.js';
import type { Dim } from '../../../onnx/ir/value.js';
import type { GradContext } from '../../types.js';

/**
 * The constant value of an integer input (axes, pads, steps...), when it is one: every rule here
 * also has an exact run-time path, and static values only enable fast paths.
 */
export function constInts(g: GradContext, name: string): number[] | undefined {
  if (!name) return undefined;
  const t = g.constantValue(name);
  if (!t || (t.dtype !== 'int64' && t.dtype !== 'int32')) return undefined;
  return t.toNumbers();
}

export function constFloats(g: GradContext, name: string): number[] | undefined {
  if (!name) return undefined;
  const t = g.constantValue(name);
  if (!t || (t.dtype !== 'float32' && t.dtype !== 'float64')) return undefined;
  return t.toNumbers();
}

/** int64 bounds, exactly (JavaScript numbers cannot hold them). */
export function int64Max(g: GradContext): string {
  return g.constant(new Tensor('int64', [1], BigInt64Array.of(9223372036854775807n)), 'int64_max');
}

export function int64Min(g: GradContext): string {
  return g.constant(new Tensor('int64', [1], BigInt64Array.of(-9223372036854775808n)), 'int64_min');
}

export function normAxis(axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new GlassboxError('bad-model', `${what} ${axis} is out of range for rank ${rank}`);
  return a;
}

export function isStatic(d: Dim | undefined): d is number {
  return typeof d === 'number';
}

/** Two dims known to be equal: the same number, or the same symbol. */
export function sameDim(a: Dim | undefined, b: Dim | undefined): boolean {
  return a !== null && a !== undefined && a === b;
}

/** A 1-element int64 quantity: a number known now, or the name of a [1] tensor known at run time. */
export type Int = number | string;

/** Dim `axis` of forward value `x`: static, or Shape(x)[axis] at run time. */
export function dimOf(g: GradContext, x: string, axis: number): Int {
  const d = g.shape(x)[axis];
  return isStatic(d) ? d : g.op('Shape', [x], { start: axis, end: axis + 1 });
}

/** Product of dims [start, end) of `x`, as a [1] tensor or a number. */
export function prodOf(g: GradContext, x: string, start: number, end = g.rank(x)): Int {
  const dims = g.shape(x).slice(start, end);
  if (dims.every(isStatic)) return dims.reduce((a, b) => a * b, 1);
  if (end - start === 1) return dimOf(g, x, start);
  return g.op('ReduceProd', [g.op('Shape', [x], { start, end })], { keepdims: 1 });
}

export function intTensor(g: GradContext, v: Int): string {
  return typeof v === 'number' ? g.ints([v]) : v;
}

export function addInt(g: GradContext, a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  return g.op('Add', [intTensor(g, a), intTensor(g, b)]);
}

export function subInt(g: GradContext, a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (b === 0) return a;
  return g.op('Sub', [intTensor(g, a), intTensor(g, b)]);
}

/** A 1-D int64 vector from static and run-time entries (runs of static entries become one constant). */
export function vec(g: GradContext, parts: readonly Int[]): string {
  if (parts.every((p): p is number => typeof p === 'number')) return g.ints(parts);
  const pieces: string[] = [];
  let run: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') run.push(p);
    else {
      if (run.length) pieces.push(g.ints(run));
      run = [];
      pieces.push(p);
    }
  }
  if (run.length) pieces.push(g.ints(run));
  return pieces.length === 1 ? pieces[0]! : g.op('Concat', pieces, { axis: 0 });
}

/** The shape of forward value `x` as a tensor: a constant when fully static, else Shape(x). */
export function shapeTensor(g: GradContext, x: string): string {
  const s = g.shape(x);
  return s.every(isStatic) ? g.ints(s) : g.shapeOf(x);
}

/** Reshape `t` to the shape of forward value `x` (allowzero: the target is a real shape, zeros included). */
export function reshapeLike(g: GradContext, t: string, x: string): string {
  return g.op('Reshape', [t, shapeTensor(g, x)], { allowzero: 1 });
}

/** Zeros of element type `dtype` and run-time shape `shape` (a 1-D int64 tensor). */
export function zeros(g: GradContext, shape: string, dtype: DType): string {
  return g.op('ConstantOfShape', [shape], { value: tensorToProto('value', Tensor.zeros(dtype, [1])) });
}

/** Zeros shaped like forward value `x`. */
export function zerosLike(g: GradContext, x: string): string {
  return zeros(g, shapeTensor(g, x), g.dtype(x));
}

/** Indices as int64 (ScatterND wants int64; Gather and the Scatter family accept int32 too). */
export function asInt64(g: GradContext, indices: string): string {
  return g.dtype(indices) === 'int64' ? indices : g.op('Cast', [indices], { to: 7 });
}

/** Sum of gradient pieces, skipping missing ones. */
export function addAll(g: GradContext, terms: readonly (string | undefined)[]): string | undefined {
  const present = terms.filter((t): t is string => t !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((acc, t) => g.op('Add', [acc, t]));
}

/*
 * onnxruntime 1.30's transpose optimizer mis-handles Pad nodes that carry an `axes` input
 * (Transpose → Pad(axes) → Transpose fails to load with a Gather index error), so gradient
 * rules always spell pads out for every axis, with zeros for the axes they leave alone.
 */

/** Pads `t` (of rank `rank`) by before/after entries along static `axes`. */
export function padAlong(g: GradContext, t: string, rank: number, axes: readonly number[], before: readonly Int[], after: readonly Int[]): string {
  const full = (side: readonly Int[]): Int[] => Array.from({ length: rank }, (_, i) => {
    const j = axes.indexOf(i);
    return j < 0 ? 0 : side[j]!;
  });
  return g.op('Pad', [t, vec(g, [...full(before), ...full(after)])]);
}

/**
 * A full-rank pads vector from int64 `pads` (2k entries: all befores, then all afters) for the
 * given axes, which may be a run-time tensor (negative entries allowed).
 */
export function fullPads(g: GradContext, rank: number, axes: readonly number[] | string, pads: string | readonly number[]): string {
  if (typeof axes !== 'string') {
    const normalized = axes.map((a) => normAxis(a, rank));
    axes = normalized;
    if (typeof pads !== 'string') {
      const values = pads;
      const full = new Array<number>(2 * rank).fill(0);
      normalized.forEach((a, j) => {
        full[a] = values[j]!;
        full[a + rank] = values[j + normalized.length]!;
      });
      return g.ints(full);
    }
  }
  if (typeof pads !== 'string') pads = g.ints(pads);
  let indices: string;
  if (typeof axes === 'string') {
    const a = asInt64(g, axes);
    const wrapped = g.op('Where', [g.op('Less', [a, g.ints([0], [])]), g.op('Add', [a, g.ints([rank], [])]), a]);
    indices = g.op('Concat', [wrapped, g.op('Add', [wrapped, g.ints([rank], [])])], { axis: 0 });
  } else {
    indices = g.ints([...axes, ...axes.map((x) => x + rank)]);
  }
  return g.op('ScatterElements', [g.ints(new Array<number>(2 * rank).fill(0)), indices, pads], { axis: 0 });
}
