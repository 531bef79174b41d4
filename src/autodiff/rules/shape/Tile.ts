import type { GradientRule } from '../../types.js';
import { constInts, isStatic, sameDim, vec, type Int } from './util.js';

/**
 * y = Tile(x, repeats): y[..., r·d + i, ...] = x[..., i, ...] on each axis (d = x's dim, r the
 * repeat). dx = ReduceSum(Reshape(dy, [r0, d0, r1, d1, ...]), axes = the r positions,
 * keepdims = 0). Axes known to repeat once (from constant repeats, or equal static dims of x
 * and y) keep a single entry; otherwise the interleaved shape is built at run time.
 */
export const Tile: GradientRule = {
  op: 'Tile',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const xs = g.shape(x);
    const ys = g.shape(y);
    const rank = xs.length;
    const known = constInts(g, g.I(1));
    const reps: (number | null)[] = xs.map((d, i) => {
      if (known) return known[i]!;
      if (sameDim(d, ys[i])) return 1;
      const o = ys[i];
      return isStatic(d) && isStatic(o) && d > 0 ? o / d : null;
    });
    if (reps.every((r) => r === 1)) return [dy];
    if (reps.every((r) => r !== null)) {
      const parts: Int[] = [];
      const axes: number[] = [];
      reps.forEach((r, i) => {
        if (r !== 1) {
          axes.push(parts.length);
          parts.push(r!);
        }
        const d = xs[i];
        parts.push(isStatic(d) ? d : g.op('Shape', [x], { start: i, end: i + 1 }));
      });
      return [g.op('ReduceSum', [g.op('Reshape', [dy, vec(g, parts)]), g.ints(axes)], { keepdims: 0 })];
    }
    // [r0, d0, r1, d1, ...] at run time: stack repeats and Shape(x) as columns, then flatten.
    const column = (t: string): string => g.op('Unsqueeze', [t, g.ints([1])]);
    const interleaved = g.op('Reshape', [g.op('Concat', [column(g.I(1)), column(g.shapeOf(x))], { axis: 1 }), g.ints([-1])]);
    const axes = Array.from({ length: rank }, (_, i) => 2 * i);
    return [g.op('ReduceSum', [g.op('Reshape', [dy, interleaved]), g.ints(axes)], { keepdims: 0 })];
  },
};
