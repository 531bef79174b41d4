import { GlassboxError } from '../../../util/errors.js';
import type { GradContext, GradientRule } from '../../types.js';
import {
  addAll, addInt, constInts, dimOf, fullPads, int64Max, int64Min, intTensor, normAxis, padAlong, sameDim, subInt, type Int,
} from './util.js';

/**
 * y = Pad(x, pads, constant_value?, axes?, mode).
 *
 * constant: Pad is linear in x with pads p; its adjoint is Pad(dy, -p): a positive pad becomes a
 * crop and a negative one (a crop in the forward) becomes zeros. The constant value c fills
 * the rest, so dc = Σ dy − Σ dx.
 *
 * reflect / edge / wrap: separable, one axis at a time (any order). Along an axis of size d
 * with pads (b, e): the centre dy[b : b+d] lands on x, and the border blocks fold back onto it:
 *   reflect: dy[0:b] reversed onto x[1 : b+1], dy[b+d:] reversed onto x[d-1-e : d-1];
 *   edge:    Σ dy[0:b] onto x[0], Σ dy[b+d:] onto x[d-1];
 *   wrap:    dy[0:b] onto x[d-b : d], dy[b+d:] onto x[0 : e]  (b, e ≤ d, as onnxruntime allows).
 * These modes assume non-negative pads (what exporters write; ReflectionPad/ReplicationPad).
 * Axes whose pads are constant zeros, or whose input and output dims are equal, are skipped.
 * This matches PyTorch's reflection/replication/circular pad backward.
 */
export const Pad: GradientRule = {
  op: 'Pad',
  nonDifferentiableInputs: [1, 3],
  grad: (g) => {
    const mode = g.node.string('mode', 'constant');
    if (mode === 'constant') return constantPad(g);
    if (mode !== 'reflect' && mode !== 'edge' && mode !== 'wrap') throw new GlassboxError('unsupported-op', `no gradient for Pad mode "${mode}"`);
    return [g.needs(0) ? foldPad(g, mode) : undefined];
  },
};

function constantPad(g: GradContext): (string | undefined)[] {
  const [pads, value, axes, dy] = [g.I(1), g.I(2), g.I(3), g.GO(0)!];
  const known = constInts(g, pads);
  let dx: string | undefined;
  if (g.needs(0) || (value && g.needs(2))) {
    if (known && known.every((p) => p === 0)) dx = dy;
    else {
      const negated = known ? known.map((p) => -p) : g.op('Neg', [pads]);
      const axesC = axes ? constInts(g, axes) : undefined;
      const full = axes ? fullPads(g, g.rank(g.I(0)), axesC ?? axes, negated) : typeof negated === 'string' ? negated : g.ints(negated);
      dx = g.op('Pad', [dy, full]);
    }
  }
  let dvalue: string | undefined;
  if (value && g.needs(2)) {
    const filled = g.op('Sub', [g.op('ReduceSum', [dy], { keepdims: 0 }), g.op('ReduceSum', [dx!], { keepdims: 0 })]);
    dvalue = g.rank(value) === 0 ? filled : g.op('Reshape', [filled, g.ints(g.shape(value).map(() => 1))]);
  }
  return [g.needs(0) ? dx : undefined, undefined, dvalue];
}

function foldPad(g: GradContext, mode: 'reflect' | 'edge' | 'wrap'): string {
  const [x, y, pads, axesIn, dy] = [g.I(0), g.O(0), g.I(1), g.I(3), g.GO(0)!];
  const rank = g.rank(x);
  const xs = g.shape(x);
  const ys = g.shape(y);
  const padsC = constInts(g, pads);
  const axesC = axesIn ? constInts(g, axesIn)?.map((a) => normAxis(a, rank)) : Array.from({ length: rank }, (_, i) => i);
  const n = axesC?.length ?? (g.shape(pads)[0] as number) / 2;
  // Pads per axis of x: constants, or 1-element slices of a run-time vector of all 2·rank pads.
  let full: string | undefined;
  const fullPads = (): string => {
    if (full) return full;
    if (!axesIn) return (full = pads);
    if (axesC) {
      // Constant axes, run-time pads: gather them into rank order, zeros elsewhere.
      const at = [...axesC, ...axesC.map((a) => a + rank)];
      return (full = g.op('ScatterElements', [g.ints(new Array<number>(2 * rank).fill(0)), g.ints(at), pads], { axis: 0 }));
    }
    const norm = g.op('Mod', [g.op('Cast', [axesIn], { to: 7 }), g.ints([rank])]);
    const at = g.op('Concat', [norm, g.op('Add', [norm, g.ints([rank])])], { axis: 0 });
    return (full = g.op('ScatterElements', [g.ints(new Array<number>(2 * rank).fill(0)), at, pads], { axis: 0 }));
  };
  const padOf = (a: number, end: boolean): Int => {
    if (padsC && axesC) {
      const k = axesC.indexOf(a);
      return k < 0 ? 0 : padsC[k + (end ? n : 0)]!;
    }
    const i = a + (end ? rank : 0);
    return g.op('Slice', [fullPads(), g.ints([i]), g.ints([i + 1])]);
  };
  let t = dy;
  for (let a = 0; a < rank; a++) {
    const b = padOf(a, false);
    const e = padOf(a, true);
    if ((b === 0 && e === 0) || (!padsC && sameDim(xs[a], ys[a]))) continue;
    t = foldAxis(g, mode, t, a, b, e, dimOf(g, x, a));
  }
  return t;
}

/** One axis of the fold: `t` has b + d + e entries along `axis`; the result has d. */
function foldAxis(g: GradContext, mode: 'reflect' | 'edge' | 'wrap', t: string, axis: number, b: Int, e: Int, d: Int): string {
  const ax = g.ints([axis]);
  const slice = (start: Int, end: Int | 'max'): string => g.op('Slice', [t, tensorOf(g, start), tensorOf(g, end), ax]);
  const reverse = (v: string): string => g.op('Slice', [v, g.ints([-1]), int64Min(g), ax, g.ints([-1])]);
  const padTo = (v: string, before: Int, after: Int): string => padAlong(g, v, g.rank(g.I(0)), [axis], [before], [after]);
  const centre = slice(b, addInt(g, b, d));
  const head = b === 0 ? undefined : slice(0, b);
  const tail = e === 0 ? undefined : slice(addInt(g, b, d), 'max');
  let left: string | undefined;
  let right: string | undefined;
  if (mode === 'reflect') {
    if (head) left = padTo(reverse(head), 1, subInt(g, subInt(g, d, 1), b));
    if (tail) right = padTo(reverse(tail), subInt(g, subInt(g, d, 1), e), 1);
  } else if (mode === 'edge') {
    const sum = (v: string): string => g.op('ReduceSum', [v, ax], { keepdims: 1 });
    if (head) left = padTo(sum(head), 0, subInt(g, d, 1));
    if (tail) right = padTo(sum(tail), subInt(g, d, 1), 0);
  } else {
    if (head) left = padTo(head, subInt(g, d, b), 0);
    if (tail) right = padTo(tail, 0, subInt(g, d, e));
  }
  return addAll(g, [centre, left, right])!;
}

function tensorOf(g: GradContext, v: Int | 'max'): string {
  return v === 'max' ? int64Max(g) : intTensor(g, v);
}
