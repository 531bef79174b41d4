import type { Dim } from '../ir/value.js';
import { broadcastAt, broadcastShapes, isIntegerType, makeValue, shapesOf, T } from './helpers.js';
import type { SymbolTable } from './symbolic.js';
import type { KnownValue, Rule, RuleContext, RuleTable, ValueType } from './types.js';

/** Broadcasting ops: the output shape is the numpy broadcast of all given inputs. */

type Fold = (a: Dim, b: Dim, ctx: RuleContext) => Dim;

/**
 * A broadcasting op with output type `typeOf` and, for small known inputs, elementwise values
 * computed by `fold` (shape arithmetic such as seq * heads or dim / 2).
 */
function broadcasting(typeOf: (ctx: RuleContext) => number | undefined, fold?: Fold): Rule {
  return (ctx) => {
    const out: ValueType = {};
    const elemType = typeOf(ctx);
    if (elemType !== undefined) out.elemType = elemType;
    const shapes = shapesOf(ctx);
    if (shapes) out.shape = broadcastShapes(shapes);
    if (fold && out.shape) {
      const value = foldValues(ctx, fold, out.shape);
      if (value) out.value = value;
    }
    return [out];
  };
}

/** The static size of a shape when it is small enough to hold as a known value. */
function smallSize(ctx: RuleContext, shape: Dim[]): number | undefined {
  if (!shape.every((d) => typeof d === 'number')) return undefined;
  const n = (shape as number[]).reduce((a, b) => a * b, 1);
  return n <= ctx.maxValueElements ? n : undefined;
}

/** Applies `fold` across broadcast known values (left to right for variadic ops). */
function foldValues(ctx: RuleContext, fold: Fold, shape: Dim[]): KnownValue | undefined {
  const n = smallSize(ctx, shape);
  if (n === undefined) return undefined;
  const inputs: KnownValue[] = [];
  for (let i = 0; i < ctx.node.inputs.length; i++) {
    if (!ctx.has(i)) continue;
    const v = ctx.value(i);
    if (!v) return undefined;
    inputs.push(v);
  }
  if (inputs.length === 0) return undefined;
  const out = shape as number[];
  // float32 arithmetic rounds after every step; Floor/Cast of the result can depend on it.
  const round = ctx.elemType(0) === T.FLOAT ? (d: Dim): Dim => (typeof d === 'number' ? Math.fround(d) : d) : (d: Dim): Dim => d;
  const values: Dim[] = [];
  for (let i = 0; i < n; i++) {
    let acc = broadcastAt(inputs[0]!, out, i);
    for (const v of inputs.slice(1)) acc = round(fold(acc, broadcastAt(v, out, i), ctx));
    values.push(acc);
  }
  return makeValue(ctx, out, values);
}

const first = (ctx: RuleContext): number | undefined => ctx.elemType(0);
const bool = (): number => T.BOOL;

function numeric(f: (a: number, b: number, ctx: RuleContext) => number | null): Fold {
  return (a, b, ctx) => (typeof a === 'number' && typeof b === 'number' ? f(a, b, ctx) : null);
}

/** Numbers fold directly (INT64_MAX sentinels included); symbols stay exact under + - *. */
const add: Fold = (a, b, ctx) => (typeof a === 'number' && typeof b === 'number' ? a + b : ctx.sym.add(a, b));
const sub: Fold = (a, b, ctx) => (typeof a === 'number' && typeof b === 'number' ? a - b : ctx.sym.sub(a, b));
const mul: Fold = (a, b, ctx) => (typeof a === 'number' && typeof b === 'number' ? a * b : ctx.sym.mul(a, b));
/** Division keeps a symbol only when the quotient is exact for every value of it. */
const div: Fold = (a, b, ctx) => {
  const integer = isIntegerType(ctx.elemType(0));
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) return null;
    return integer ? Math.trunc(a / b) : a / b;
  }
  return exactQuotient(ctx.sym, a, b);
};

function exactQuotient(sym: SymbolTable, a: Dim, b: Dim): Dim {
  if (b === 0 || b === null || a === null) return null;
  return sym.exactDiv(a, b);
}

const mod = numeric((a, b, ctx) => {
  if (b === 0) return null;
  const fmod = ctx.node.int('fmod', 0) === 1 || !isIntegerType(ctx.elemType(0));
  if (fmod) return a % b;
  const r = a % b;
  return r !== 0 && Math.sign(r) !== Math.sign(b) ? r + b : r; // Python-style: sign of the divisor
});

/** Equal is decidable for numbers and for identical symbols (same name, same value). */
const equal: Fold = (a, b) => {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 1 : 0;
  return a === b ? 1 : null;
};

const compare = (f: (a: number, b: number) => boolean): Fold => numeric((a, b) => (f(a, b) ? 1 : 0));

/** Where(cond, x, y) on small known values: decided element by element. */
const where: Rule = (ctx) => {
  const out: ValueType = {};
  const elemType = ctx.elemType(1) ?? ctx.elemType(2);
  if (elemType !== undefined) out.elemType = elemType;
  const shapes = shapesOf(ctx);
  if (shapes) out.shape = broadcastShapes(shapes);
  const [c, x, y] = [ctx.value(0), ctx.value(1), ctx.value(2)];
  const n = out.shape ? smallSize(ctx, out.shape) : undefined;
  if (n !== undefined && c && x && y) {
    const shape = out.shape as number[];
    const values = Array.from({ length: n }, (_, i) => {
      const cond = broadcastAt(c, shape, i);
      return cond === null || typeof cond === 'string' ? null : cond !== 0 ? broadcastAt(x, shape, i) : broadcastAt(y, shape, i);
    });
    const value = makeValue(ctx, shape, values);
    if (value) out.value = value;
  }
  return [out];
};

export const elementwiseRules: RuleTable = {
  Add: broadcasting(first, add),
  Sub: broadcasting(first, sub),
  Mul: broadcasting(first, mul),
  Div: broadcasting(first, div),
  Mod: broadcasting(first, mod),
  Pow: broadcasting(first),
  Max: broadcasting(first, numeric((a, b) => Math.max(a, b))),
  Min: broadcasting(first, numeric((a, b) => Math.min(a, b))),
  Sum: broadcasting(first, add),
  Mean: broadcasting(first),
  PRelu: broadcasting(first),
  BitShift: broadcasting(first),
  BitwiseAnd: broadcasting(first),
  BitwiseOr: broadcasting(first),
  BitwiseXor: broadcasting(first),
  Equal: broadcasting(bool, equal),
  Less: broadcasting(bool, compare((a, b) => a < b)),
  LessOrEqual: broadcasting(bool, compare((a, b) => a <= b)),
  Greater: broadcasting(bool, compare((a, b) => a > b)),
  GreaterOrEqual: broadcasting(bool, compare((a, b) => a >= b)),
  And: broadcasting(bool, numeric((a, b) => (a && b ? 1 : 0))),
  Or: broadcasting(bool, numeric((a, b) => (a || b ? 1 : 0))),
  Xor: broadcasting(bool, numeric((a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0))),
  Where: where,
};
