import { sizeRatio } from './common.js';
import { expandToInput, isNoop, reduceRule } from './reduce-common.js';

/**
 * y = Σ_axes x / n: dx = dy / n broadcast back. n = size(x) / size(y) is a constant when the
 * symbolic dims cancel, else computed from Size at run time. The division happens on the
 * small reduced tensor before the broadcast.
 */
export const ReduceMean = reduceRule('ReduceMean', (g) => {
  const dy = g.GO(0)!;
  if (isNoop(g)) return dy;
  return expandToInput(g, g.op('Div', [dy, sizeRatio(g, g.I(0), g.O(0), g.I(0))]));
});
