import type { GradientRule } from '../../types.js';
import { spatialShape } from './window.js';

/** y[n,c] = mean over space; dx = dy / (spatial size), broadcast back to x. */
export const GlobalAveragePool: GradientRule = {
  op: 'GlobalAveragePool',
  grad: (g) => {
    const [x, dy] = [g.I(0), g.GO(0)!];
    const spatial = g.shape(x).slice(2);
    const count = spatial.every((d) => typeof d === 'number')
      ? g.scalar((spatial as number[]).reduce((a, b) => a * b, 1), x)
      : g.op('CastLike', [g.op('ReduceProd', [spatialShape(g, x)], { keepdims: 0 }), x]);
    return [g.op('Expand', [g.op('Div', [dy, count]), g.shapeOf(x)])];
  },
};
