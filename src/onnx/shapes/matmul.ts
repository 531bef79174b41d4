import type { Dim } from '../ir/value.js';
import { broadcastShapes, T } from './helpers.js';
import { unknown, type Rule, type RuleContext, type RuleTable, type ValueType } from './types.js';

/** Matrix products: MatMul (numpy semantics), Gemm, MatMulInteger, Einsum. */

function typed(elemType: number | undefined): ValueType {
  return elemType === undefined ? {} : { elemType };
}

/** Contracted dims must agree; two different numbers are a model error. */
function checkInner(a: Dim, b: Dim): void {
  if (typeof a === 'number' && typeof b === 'number' && a !== b) unknown(`inner dims ${a} and ${b} differ`);
}

function matmulShape(a: Dim[], b: Dim[]): Dim[] {
  if (a.length === 0 || b.length === 0) unknown('MatMul of a scalar');
  // A 1-d operand is a row (left) or column (right) vector whose extra dim is dropped again.
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  checkInner(a2[a2.length - 1]!, b2[b2.length - 2]!);
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

function matmulLike(outType: (ctx: RuleContext) => number | undefined): Rule {
  return (ctx) => {
    const out = typed(outType(ctx));
    const [a, b] = [ctx.shape(0), ctx.shape(1)];
    if (a && b) out.shape = matmulShape(a, b);
    return [out];
  };
}

const gemm: Rule = (ctx) => {
  const out = typed(ctx.elemType(0));
  const [a, b] = [ctx.shape(0), ctx.shape(1)];
  if (!a || !b) return [out];
  if (a.length !== 2 || b.length !== 2) unknown('Gemm needs 2-d A and B');
  const [m, ka] = ctx.node.int('transA', 0) ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [kb, n] = ctx.node.int('transB', 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  checkInner(ka, kb);
  out.shape = [m, n];
  return [out];
};

/**
 * Einsum for explicit and implicit equations with letters and one "..." per operand. Letters
 * shared between operands must have equal dims; "..." dims broadcast.
 */
const einsum: Rule = (ctx) => {
  const out = typed(ctx.elemType(0));
  const equation = ctx.node.string('equation').replace(/\s+/g, '');
  const [lhs, rhs] = equation.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  if (terms.length !== ctx.node.inputs.length) unknown(`Einsum equation has ${terms.length} operands for ${ctx.node.inputs.length} inputs`);
  const letters = new Map<string, Dim>();
  const counts = new Map<string, number>();
  const ellipses: Dim[][] = [];
  for (let i = 0; i < terms.length; i++) {
    const shape = ctx.shape(i);
    if (!shape) return [out];
    const [before, after] = terms[i]!.split('...') as [string, string | undefined];
    const named = before + (after ?? '');
    if (!/^[a-zA-Z]*$/.test(named)) unknown(`Einsum term "${terms[i]}" is not letters and "..."`);
    const extra = shape.length - named.length;
    if (extra < 0 || (after === undefined && extra !== 0)) unknown(`Einsum term "${terms[i]}" does not match a rank-${shape.length} operand`);
    const dims = after === undefined ? shape : [...shape.slice(0, before.length), ...shape.slice(before.length + extra)];
    if (after !== undefined) ellipses.push(shape.slice(before.length, before.length + extra));
    [...named].forEach((c, j) => {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const d = dims[j]!;
      const seen = letters.has(c) ? letters.get(c)! : d;
      checkInner(seen, d);
      // Equal by definition, so whichever side is more specific is right (1 may broadcast).
      letters.set(c, seen === 1 ? d : d === 1 ? seen : typeof seen === 'number' ? seen : typeof d === 'number' ? d : seen ?? d);
    });
  }
  const broadcast = broadcastShapes(ellipses);
  const output = rhs ?? `...${[...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join('')}`;
  const [pre, post] = output.split('...') as [string, string | undefined];
  const dimsOf = (s: string): Dim[] => [...s].map((c) => (letters.has(c) ? letters.get(c)! : unknown(`Einsum output letter "${c}" is not in any input`)));
  out.shape = post === undefined ? dimsOf(pre) : [...dimsOf(pre), ...broadcast, ...dimsOf(post)];
  return [out];
};

export const matmulRules: RuleTable = {
  MatMul: matmulLike((ctx) => ctx.elemType(0)),
  MatMulInteger: matmulLike(() => T.INT32),
  Gemm: gemm,
  Einsum: einsum,
};
