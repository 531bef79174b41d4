import type { Dim } from '../ir/value.js';
import { normAxis, numbers } from './helpers.js';
import type { SymbolTable } from './symbolic.js';
import { unknown, type Rule, type RuleContext, type RuleTable, type ValueType } from './types.js';

/**
 * Resize (opset 10: X, scales; 11+: X, roi, scales, sizes; 18+: axes) and Upsample (scales as
 * attribute up to opset 8, as input 1 from 9). An empty scales or sizes tensor means "not given".
 */

/**
 * onnxruntime computes an output dim as (int64)(dim * scale) in float32; a symbolic dim
 * scaled by a whole number stays exact, anything else is unknown.
 */
function scaled(sym: SymbolTable, d: Dim, scale: number): Dim {
  if (typeof d === 'number') return Math.trunc(Math.fround(Math.fround(d) * Math.fround(scale)));
  return Number.isInteger(scale) && scale > 0 ? sym.mul(d, scale) : null;
}

function apply(ctx: RuleContext, out: ValueType, x: Dim[], list: Dim[] | undefined, isSizes: boolean, axes: number[]): boolean {
  if (!list || list.length === 0) return false;
  if (list.length !== axes.length) unknown(`${ctx.node.opType} has ${list.length} ${isSizes ? 'sizes' : 'scales'} for ${axes.length} axes`);
  out.shape = [...x];
  axes.forEach((a, i) => {
    const v = list[i]!;
    out.shape![a] = isSizes ? v : typeof v === 'number' ? scaled(ctx.sym, x[a]!, v) : null;
  });
  return true;
}

const resize: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) out.elemType = elemType;
  const x = ctx.shape(0);
  if (!x) return [out];
  const axes = ctx.node.has('axes') ? ctx.node.ints('axes').map((a) => normAxis(a, x.length)) : x.map((_, i) => i);
  const policy = ctx.node.has('keep_aspect_ratio_policy') ? ctx.node.string('keep_aspect_ratio_policy') : 'stretch';
  const [scalesAt, sizesAt] = ctx.opset < 11 ? [1, -1] : [2, 3];
  const emptyOrAbsent = (i: number): boolean => i < 0 || !ctx.has(i) || ctx.shape(i)?.[0] === 0;
  // sizes under a keep-aspect-ratio policy are only upper/lower bounds: the dims are not known.
  if (!emptyOrAbsent(sizesAt) && policy === 'stretch' && apply(ctx, out, x, ctx.value(sizesAt)?.values, true, axes)) return [out];
  if (emptyOrAbsent(sizesAt) && !emptyOrAbsent(scalesAt) && apply(ctx, out, x, ctx.value(scalesAt)?.values, false, axes)) return [out];
  out.shape = x.map((d, i) => (axes.includes(i) ? null : d));
  return [out];
};

const upsample: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(0);
  if (elemType !== undefined) out.elemType = elemType;
  const x = ctx.shape(0);
  if (!x) return [out];
  const scales = ctx.node.has('scales') ? ctx.node.floats('scales') : numbers(ctx.value(1));
  const axes = x.map((_, i) => i);
  if (!apply(ctx, out, x, scales, false, axes)) out.shape = x.map(() => null);
  return [out];
};

export const resizeRules: RuleTable = { Resize: resize, Upsample: upsample };
