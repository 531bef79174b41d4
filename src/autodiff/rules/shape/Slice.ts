import type { GradContext, GradientRule } from '../../types.js';
import { asInt64, constInts, fullPads, isStatic, normAxis, padAlong, reshapeLike, shapeTensor, zeros } from './util.js';

/**
 * y = Slice(x, starts, ends, axes?, steps?) selects distinct elements of x, so dx is dy
 * scattered into zeros shaped like x.
 *
 * Unit steps (steps omitted or constant ones): dx = Pad(dy, [s..., d - s - len...], axes) with
 * s, e clamped as the spec does (negative values count from the end, out-of-range and ±INT64
 * ends are clamped to [0, d]); the pads are constants when starts/ends/axes are constants and
 * the sliced dims static, else a few int64 ops at run time.
 *
 * Any steps (negative ones included): the same Slice applied to the flat index map
 * Reshape(Range(0, Size(x)), Shape(x)) tells where each dy element came from, and one
 * ScatterElements (reduction none: the positions are distinct) puts dy there:
 * dx = Reshape(ScatterElements(zeros[Size(x)], flat(Slice(map)), flat(dy)), Shape(x)).
 */
export const Slice: GradientRule = {
  op: 'Slice',
  nonDifferentiableInputs: [1, 2, 3, 4],
  grad: (g) => {
    const steps = g.I(4);
    const unit = !steps || (constInts(g, steps)?.every((s) => s === 1) ?? false);
    const count = g.shape(g.I(1))[0];
    return [unit && isStatic(count) ? padBack(g, count) : scatterBack(g)];
  },
};

function padBack(g: GradContext, count: number): string {
  const [x, dy] = [g.I(0), g.GO(0)!];
  const rank = g.rank(x);
  const xs = g.shape(x);
  const axesIn = g.I(3);
  const axesC = axesIn ? constInts(g, axesIn)?.map((a) => normAxis(a, rank)) : Array.from({ length: count }, (_, i) => i);
  const startsC = constInts(g, g.I(1));
  const endsC = constInts(g, g.I(2));
  if (axesC && startsC && endsC && axesC.every((a) => isStatic(xs[a]))) {
    const before: number[] = [];
    const after: number[] = [];
    axesC.forEach((a, j) => {
      const d = xs[a] as number;
      const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
      const s = clamp(startsC[j]!);
      const len = Math.max(0, clamp(endsC[j]!) - s);
      before.push(s);
      after.push(d - s - len);
    });
    if ([...before, ...after].every((p) => p === 0)) return dy;
    return padAlong(g, dy, rank, axesC, before, after);
  }
  const axes = axesIn ? asInt64(g, axesIn) : g.ints(axesC!);
  const dims = axesC && axesC.every((a) => isStatic(xs[a])) ? g.ints(axesC.map((a) => xs[a] as number)) : g.op('Gather', [shapeTensor(g, x), axes], { axis: 0 });
  const zero = g.ints([0]);
  const clamp = (v: string): string => {
    const wrapped = g.op('Where', [g.op('Less', [v, zero]), g.op('Add', [v, dims]), v]);
    return g.op('Min', [g.op('Max', [wrapped, zero]), dims]);
  };
  const s = clamp(asInt64(g, g.I(1)));
  const e = clamp(asInt64(g, g.I(2)));
  const len = g.op('Max', [g.op('Sub', [e, s]), zero]);
  const after = g.op('Sub', [g.op('Sub', [dims, s]), len]);
  return g.op('Pad', [dy, fullPads(g, rank, axesC ?? axes, g.op('Concat', [s, after], { axis: 0 }))]);
}

function scatterBack(g: GradContext): string {
  const [x, dy] = [g.I(0), g.GO(0)!];
  const scalar = (v: number): string => g.ints([v], []);
  const size = g.op('Size', [x]);
  const map = g.op('Range', [scalar(0), size, scalar(1)]);
  const picked = g.op('Slice', [g.op('Reshape', [map, shapeTensor(g, x)], { allowzero: 1 }), g.I(1), g.I(2), g.I(3), g.I(4)]);
  const flat = g.ints([-1]);
  const base = zeros(g, g.op('Reshape', [size, flat]), g.dtype(x));
  const scattered = g.op('ScatterElements', [base, g.op('Reshape', [picked, flat]), g.op('Reshape', [dy, flat])], { axis: 0 });
  return reshapeLike(g, scattered, x);
}
