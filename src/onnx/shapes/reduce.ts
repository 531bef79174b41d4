import type { Dim } from '../ir/value.js';
import { makeValue, normAxis } from './helpers.js';
import type { Rule, RuleContext, RuleTable, ValueType } from './types.js';

/**
 * Reductions. axes come as an attribute (older opsets) or as input 1 (ReduceSum 13+, the rest
 * 18+); no axes means all of them, unless noop_with_empty_axes makes the op an identity.
 */

/** The reduced shape; axes null = given but unknown. */
export function reducedShape(input: Dim[], axes: number[] | null, keepdims: boolean): Dim[] | undefined {
  if (axes === null) {
    // Only the rank survives, and only when dims are kept: each dim is 1 or untouched.
    return keepdims ? input.map((d) => (d === 1 ? 1 : null)) : undefined;
  }
  const set = new Set(axes.map((a) => normAxis(a, input.length)));
  const out: Dim[] = [];
  input.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

type Combine = (ctx: RuleContext, values: Dim[]) => Dim;

function reduce(combine?: Combine): Rule {
  return (ctx) => {
    const out: ValueType = {};
    const elemType = ctx.elemType(0);
    if (elemType !== undefined) out.elemType = elemType;
    const x = ctx.shape(0);
    if (!x) return [out];
    const keepdims = ctx.node.int('keepdims', 1) === 1;
    let axes = ctx.ints('axes', 1);
    if (axes !== null && (axes === undefined || axes.length === 0)) {
      if (ctx.node.int('noop_with_empty_axes', 0) === 1) {
        out.shape = [...x];
        const v = ctx.value(0);
        if (v) out.value = v;
        return [out];
      }
      axes = x.map((_, i) => i);
    }
    out.shape = reducedShape(x, axes, keepdims);
    const v = ctx.value(0);
    if (combine && v && out.shape && axes !== null && x.length <= 1 && (x.length === 0 || axes.length > 0)) {
      const value = makeValue(ctx, out.shape.length === 0 ? [] : [1], [combine(ctx, v.values)]);
      if (value) out.value = value;
    }
    return [out];
  };
}

const sum: Combine = (ctx, values) => values.reduce<Dim>((a, b) => (typeof a === 'number' && typeof b === 'number' ? a + b : ctx.sym.add(a, b)), 0);
const prod: Combine = (ctx, values) => ctx.sym.product(values);

export const reduceRules: RuleTable = {
  ReduceSum: reduce(sum),
  ReduceProd: reduce(prod),
  ReduceMean: reduce(),
  ReduceMax: reduce(),
  ReduceMin: reduce(),
  ReduceL1: reduce(),
  ReduceL2: reduce(),
  ReduceLogSum: reduce(),
  ReduceLogSumExp: reduce(),
  ReduceSumSquare: reduce(),
};
