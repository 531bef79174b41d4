import type { Dim } from '../ir/value.js';
import { broadcastShapes, makeValue, normAxis } from './helpers.js';
import { stridesOf } from '../../tensor/shape.js';
import { unknown, type KnownValue, type Rule, type RuleContext, type RuleTable, type ValueType } from './types.js';

/** Ops that move, join and split data without computing on it. Indexing lives in indexing.ts. */

function sameType(ctx: RuleContext, i = 0): ValueType {
  const elemType = ctx.elemType(i);
  return elemType === undefined ? {} : { elemType };
}

/** A known value reinterpreted under a new static shape with the same element count. */
function reshapeValue(ctx: RuleContext, value: KnownValue | undefined, shape: Dim[]): KnownValue | undefined {
  return value ? makeValue(ctx, shape, value.values) : undefined;
}

const reshape: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  // Opset 1-4 Reshape carries the target in an attribute; later opsets in input 1.
  const target: Dim[] | undefined = ctx.node.has('shape') ? ctx.node.ints('shape') : ctx.value(1)?.values;
  if (!target) {
    const n = ctx.shape(1)?.[0];
    if (typeof n === 'number') out.shape = new Array<Dim>(n).fill(null);
    return [out];
  }
  const allowzero = ctx.node.int('allowzero', 0) === 1;
  const dims: Dim[] = target.map((t, i) => {
    if (t === 0 && !allowzero) return x ? x[i] ?? unknown(`Reshape copies dim ${i}, which the input does not have`) : null;
    if (typeof t === 'number' && t < -1) unknown(`Reshape target has the invalid entry ${t}`);
    return t === -1 ? null : t;
  });
  const inferred = target.indexOf(-1);
  if (inferred >= 0) {
    if (target.indexOf(-1, inferred + 1) >= 0) unknown('Reshape target has more than one -1');
    dims[inferred] = x ? ctx.sym.divFactors(x, dims.filter((_, i) => i !== inferred)) : null;
  }
  if (x && x.every((d) => typeof d === 'number') && dims.every((d) => typeof d === 'number')) {
    const size = (s: Dim[]): number => (s as number[]).reduce((a, b) => a * b, 1);
    if (size(x) !== size(dims)) unknown(`cannot reshape ${x.length}-d input of ${size(x)} elements to ${size(dims)} elements`);
  }
  out.shape = dims;
  const value = reshapeValue(ctx, ctx.value(0), dims);
  if (value) out.value = value;
  return [out];
};

const flatten: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  if (!x) return [out];
  let axis = ctx.node.int('axis', 1);
  if (axis < 0) axis += x.length;
  if (axis < 0 || axis > x.length) unknown(`Flatten axis ${ctx.node.int('axis', 1)} is out of range for rank ${x.length}`);
  out.shape = [ctx.sym.product(x.slice(0, axis)), ctx.sym.product(x.slice(axis))];
  const value = reshapeValue(ctx, ctx.value(0), out.shape);
  if (value) out.value = value;
  return [out];
};

const transpose: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  if (!x) return [out];
  const perm = ctx.node.has('perm') ? ctx.node.ints('perm') : x.map((_, i) => x.length - 1 - i);
  if (perm.length !== x.length) unknown(`perm has ${perm.length} entries for a rank-${x.length} input`);
  const axes = perm.map((p) => normAxis(p, x.length));
  out.shape = axes.map((a) => x[a]!);
  const v = ctx.value(0);
  if (v) {
    // Output element at coords c reads input coords c permuted back.
    const inStrides = stridesOf(v.shape);
    const outShape = axes.map((a) => v.shape[a]!);
    const outStrides = stridesOf(outShape);
    const values = v.values.map((_, flat) => {
      let index = 0;
      let rest = flat;
      axes.forEach((a, i) => {
        const coord = Math.floor(rest / outStrides[i]!);
        rest -= coord * outStrides[i]!;
        index += coord * inStrides[a]!;
      });
      return v.values[index]!;
    });
    const value = makeValue(ctx, outShape, values);
    if (value) out.value = value;
  }
  return [out];
};

const squeeze: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  if (!x) return [out];
  const axes = ctx.ints('axes', 1);
  if (axes === null) return [out];
  let keep: boolean[];
  if (axes === undefined || axes.length === 0) {
    // Every dim that is 1 goes: a symbol or unknown dim might be 1, so the rank is unknown.
    if (x.some((d) => typeof d !== 'number')) return [{ ...out, reason: 'Squeeze without axes on an input with non-static dims' }];
    keep = x.map((d) => d !== 1);
  } else {
    const set = new Set(axes.map((a) => normAxis(a, x.length)));
    keep = x.map((_, i) => !set.has(i));
  }
  out.shape = x.filter((_, i) => keep[i]);
  const value = reshapeValue(ctx, ctx.value(0), out.shape);
  if (value) out.value = value;
  return [out];
};

const unsqueeze: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  const axes = ctx.ints('axes', 1);
  if (!x || !axes) return [out];
  const rank = x.length + axes.length;
  const set = new Set(axes.map((a) => normAxis(a, rank)));
  if (set.size !== axes.length) unknown('Unsqueeze axes repeat');
  const rest = [...x];
  out.shape = Array.from({ length: rank }, (_, i) => (set.has(i) ? 1 : rest.shift()!));
  const value = reshapeValue(ctx, ctx.value(0), out.shape);
  if (value) out.value = value;
  return [out];
};

/** Dims that inputs must agree on: any number or symbol one of them gives is right. */
function agree(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number' && a !== b) unknown(`dims ${a} and ${b} must be equal`);
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return a ?? b;
}

const concat: Rule = (ctx) => {
  const out: ValueType = {};
  for (let i = 0; i < ctx.node.inputs.length && out.elemType === undefined; i++) {
    const t = ctx.elemType(i);
    if (t !== undefined) out.elemType = t;
  }
  const shapes: Dim[][] = [];
  for (let i = 0; i < ctx.node.inputs.length; i++) {
    const s = ctx.shape(i);
    if (!s) return [out];
    shapes.push(s);
  }
  const rank = shapes[0]?.length ?? 0;
  if (shapes.some((s) => s.length !== rank)) unknown('Concat inputs differ in rank');
  const axis = normAxis(ctx.node.int('axis'), rank);
  out.shape = shapes[0]!.map((_, i) => (i === axis
    ? shapes.reduce<Dim>((sum, s) => ctx.sym.add(sum, s[i]!), 0)
    : shapes.map((s) => s[i]!).reduce<Dim>((a, b) => agree(a, b), null)));
  if (rank === 1) {
    // Inputs of known length contribute their values, or unknown elements: a partly known
    // shape vector still fixes the rank and the other dims of a Reshape.
    const values: Dim[] = [];
    for (let i = 0; i < shapes.length; i++) {
      const n = shapes[i]![0];
      if (typeof n !== 'number') return [out];
      values.push(...(ctx.value(i)?.values ?? new Array<Dim>(n).fill(null)));
    }
    const value = makeValue(ctx, [values.length], values);
    if (value && values.some((v) => v !== null)) out.value = value;
  }
  return [out];
};

const split: Rule = (ctx) => {
  const count = ctx.node.outputs.length;
  const x = ctx.shape(0);
  const base = sameType(ctx);
  const outs: ValueType[] = ctx.node.outputs.map(() => ({ ...base }));
  if (!x) return outs;
  const axis = normAxis(ctx.node.int('axis', 0), x.length);
  const d = x[axis]!;
  const given = ctx.ints('split', 1);
  let sizes: Dim[];
  if (given === null) {
    sizes = outs.map(() => null);
  } else if (given && given.length > 0) {
    if (given.length !== count) unknown(`split has ${given.length} sizes for ${count} outputs`);
    sizes = given;
  } else if (ctx.node.has('num_outputs')) {
    // Opset 18: chunks of ceil(d / n), the last one smaller.
    const chunk = ctx.sym.ceilDiv(d, count);
    sizes = outs.map((_, i) => (i < count - 1 ? chunk : ctx.sym.sub(d, ctx.sym.mul(chunk, count - 1))));
  } else {
    const each = ctx.sym.exactDiv(d, count);
    if (typeof d === 'number' && each === null) unknown(`dim ${d} does not split into ${count} equal parts`);
    sizes = outs.map(() => each);
  }
  const v = ctx.value(0);
  let offset = 0;
  outs.forEach((o, i) => {
    o.shape = x.map((dim, j) => (j === axis ? sizes[i]! : dim));
    const size = sizes[i];
    if (v && x.length === 1 && typeof size === 'number' && offset >= 0) {
      const value = makeValue(ctx, [size], v.values.slice(offset, offset + size));
      if (value) o.value = value;
      offset += size;
    } else {
      offset = -1;
    }
  });
  return outs;
};

const expand: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  const target = ctx.value(1)?.values ?? (typeof ctx.shape(1)?.[0] === 'number' ? new Array<Dim>(ctx.shape(1)![0] as number).fill(null) : undefined);
  if (!x || !target) return [out];
  out.shape = broadcastShapes([x, target]);
  return [out];
};

const tile: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  if (!x) return [out];
  const repeats = ctx.value(1)?.values;
  if (repeats && repeats.length !== x.length) unknown(`Tile has ${repeats.length} repeats for a rank-${x.length} input`);
  out.shape = x.map((d, i) => (repeats ? ctx.sym.mul(d, repeats[i]!) : d === 0 ? 0 : null));
  return [out];
};

const pad: Rule = (ctx) => {
  const out = sameType(ctx);
  const x = ctx.shape(0);
  if (!x) return [out];
  // pads: attribute "paddings" (opset 1), "pads" (2-10), input 1 (11+); axes: input 3 (18+).
  const pads = ctx.node.has('paddings') ? ctx.node.ints('paddings') : ctx.ints('pads', 1);
  const axesGiven = ctx.has(3) ? ctx.value(3)?.values : undefined;
  if (!pads || (ctx.has(3) && !axesGiven)) {
    out.shape = x.map(() => null);
    return [out];
  }
  const axes = axesGiven ? axesGiven.map((a) => (typeof a === 'number' ? normAxis(a, x.length) : unknown('Pad axes are not known'))) : x.map((_, i) => i);
  if (pads.length !== 2 * axes.length) unknown(`Pad has ${pads.length} pads for ${axes.length} axes`);
  out.shape = [...x];
  axes.forEach((a, i) => { out.shape![a] = ctx.sym.add(x[a]!, pads[i]! + pads[i + axes.length]!); });
  return [out];
};

function blocks(toSpace: boolean): Rule {
  return (ctx) => {
    const out = sameType(ctx);
    const x = ctx.shape(0);
    if (!x) return [out];
    if (x.length !== 4) unknown(`${ctx.node.opType} needs a 4-d input`);
    const b = ctx.node.int('blocksize');
    const [n, c, h, w] = x as [Dim, Dim, Dim, Dim];
    out.shape = toSpace
      ? [n, ctx.sym.exactDiv(c, b * b), ctx.sym.mul(h, b), ctx.sym.mul(w, b)]
      : [n, ctx.sym.mul(c, b * b), ctx.sym.exactDiv(h, b), ctx.sym.exactDiv(w, b)];
    return [out];
  };
}

export const shapeOpRules: RuleTable = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Split: split,
  Expand: expand,
  Tile: tile,
  Pad: pad,
  DepthToSpace: blocks(true),
  SpaceToDepth: blocks(false),
};
