import type { GradientRule } from '../../types.js';
import { reshapeLike, vec } from './util.js';

/**
 * y = Expand(x, shape): y's shape is the numpy broadcast of x's shape and `shape` (either may
 * be the larger on any axis, and `shape` may have more dims). dx sums dy over the leading axes
 * x lacks and over the axes where x has 1 and y does not.
 *
 * When x's shape is fully known (numbers and symbols; symbols are never 1) the axes are chosen
 * now. When some dim of x is unknown, they are found at run time:
 * axes = NonZero(Shape([1,..,1] ++ Shape(x)) != Shape(y)), ReduceSum with noop_with_empty_axes.
 */
export const Expand: GradientRule = {
  op: 'Expand',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const xs = g.shape(x);
    const ys = g.shape(y);
    if (xs.every((d) => d !== null)) return [g.unbroadcast(dy, x)];
    const lead = ys.length - xs.length;
    const padded = lead > 0 ? vec(g, [...new Array<number>(lead).fill(1), g.shapeOf(x)]) : g.shapeOf(x);
    // Axes where x is 1 and y is not.
    const differs = g.op('Not', [g.op('Equal', [padded, g.shapeOf(y)])]);
    const axes = g.op('Reshape', [g.op('NonZero', [differs]), g.ints([-1])]);
    const summed = g.op('ReduceSum', [dy, axes], { keepdims: 1, noop_with_empty_axes: 1 });
    return [lead > 0 ? reshapeLike(g, summed, x) : summed];
  },
};
