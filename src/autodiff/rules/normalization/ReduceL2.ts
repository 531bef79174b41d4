import { keepDims, reduceRule } from './reduce-common.js';

/**
 * y = sqrt(Σ_axes x²): dx = x · dy / y, and 0 where y = 0 (PyTorch's norm backward masks the
 * zero norm to 0). The division sees y replaced by 1 where it is 0, so the backward graph has no
 * inf/NaN for second order; the outer mask makes that second derivative 0 at a zero norm too,
 * as PyTorch's masked_fill does.
 */
export const ReduceL2 = reduceRule('ReduceL2', (g) => {
  const x = g.I(0);
  const y = keepDims(g, g.O(0));
  const zero = g.scalar(0, x);
  const isZero = g.op('Equal', [y, zero]);
  const safe = g.op('Where', [isZero, g.scalar(1, x), y]);
  const scale = g.op('Where', [isZero, zero, g.op('Div', [keepDims(g, g.GO(0)!), safe])]);
  return g.op('Mul', [x, scale]);
});
