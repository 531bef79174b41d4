import { tensorFromProto, protoDims } from '../ir/tensor-proto.js';
import type { TensorProto } from '../proto/types.js';
import type { Dim } from '../ir/value.js';
import { unknown, type KnownValue, type RuleContext } from './types.js';
import { stridesOf } from '../../tensor/shape.js';

/** ONNX element-type codes used by the rules. */
export const T = {
  FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, BFLOAT16: 16,
} as const;

const INTEGER_TYPES = new Set<number>([T.UINT8, T.INT8, T.UINT16, T.INT16, T.INT32, T.INT64, T.UINT32, T.UINT64]);

export function isIntegerType(code: number | undefined): boolean {
  return code !== undefined && INTEGER_TYPES.has(code);
}

/** Exporters write INT64_MAX/MIN (±2^63 as doubles) for "to the end"; anything this large is that. */
export const HUGE = 2 ** 62;

/** An axis in [-rank, rank) made non-negative; a rank mismatch is a model error, not a guess. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) unknown(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Multidirectional (numpy) broadcasting of dims that may be symbolic. */
export function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  // A number other than 1 wins: the other side must be that number or 1 in any valid run.
  if (typeof a === 'number' && typeof b === 'number') unknown(`dims ${a} and ${b} do not broadcast`);
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  // Two different symbols (or an unknown): either could be 1, so the result has no name.
  return null;
}

export function broadcastShapes(shapes: readonly Dim[][]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const j = i - (rank - s.length);
      if (j >= 0) d = broadcastDim(d, s[j]!);
    }
    out.push(d);
  }
  return out;
}

/** Shapes of inputs [from, to), or undefined if any given one is unknown. */
export function shapesOf(ctx: RuleContext, from = 0, to = ctx.node.inputs.length): Dim[][] | undefined {
  const out: Dim[][] = [];
  for (let i = from; i < to; i++) {
    if (!ctx.has(i)) continue;
    const s = ctx.shape(i);
    if (!s) return undefined;
    out.push(s);
  }
  return out;
}

/** A known value whose elements are all numbers, as a number list. */
export function numbers(value: KnownValue | undefined): number[] | undefined {
  if (!value || value.values.some((v) => typeof v !== 'number')) return undefined;
  return value.values as number[];
}

/** The value of an initializer or Constant tensor when it is small enough to follow. */
export function knownFromProto(proto: TensorProto, max: number): KnownValue | undefined {
  const dims = protoDims(proto);
  const size = dims.reduce((a, b) => a * b, 1);
  const type = proto.data_type ?? 0;
  if (size > max || type === T.STRING || type === T.FLOAT16 || type === T.BFLOAT16) return undefined;
  let values: number[];
  try {
    values = tensorFromProto(proto).toNumbers();
  } catch {
    return undefined;
  }
  return { shape: dims, values };
}

/** A value of the given shape, or undefined when the shape is not static or too large. */
export function makeValue(ctx: RuleContext, shape: readonly Dim[], values: Dim[]): KnownValue | undefined {
  if (!shape.every((d): d is number => typeof d === 'number')) return undefined;
  if (values.length !== shape.reduce((a, b) => a * b, 1) || values.length > ctx.maxValueElements) return undefined;
  return { shape: [...shape], values };
}

/** Element `flat` of the broadcast output, read from a value of a (smaller or equal) shape. */
export function broadcastAt(value: KnownValue, outShape: readonly number[], flat: number): Dim {
  const offset = outShape.length - value.shape.length;
  const inStrides = stridesOf(value.shape);
  let index = 0;
  let rest = flat;
  const outStrides = stridesOf(outShape);
  for (let i = 0; i < outShape.length; i++) {
    const coord = Math.floor(rest / outStrides[i]!);
    rest -= coord * outStrides[i]!;
    const j = i - offset;
    if (j >= 0 && value.shape[j] !== 1) index += coord * inStrides[j]!;
  }
  return value.values[index] ?? null;
}

/** Dims are non-negative; a negative or fractional number means the model or a rule is wrong. */
export function checkDim(d: Dim): Dim {
  if (typeof d === 'number' && !(Number.isSafeInteger(d) && d >= 0)) unknown(`computed an invalid dim ${d}`);
  return d;
}

/** Attribute ints given as `name`, with a default. */
export function attrInts(ctx: RuleContext, name: string, fallback: number[]): number[] {
  return ctx.node.has(name) ? ctx.node.ints(name) : fallback;
}
