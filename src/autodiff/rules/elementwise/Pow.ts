import { dtypeToOnnx } from '../../../tensor/dtype.js';
import type { GradientRule } from '../../types.js';

/**
 * z = x^y, numpy broadcasting; the exponent may be a tensor of another numeric type. PyTorch's
 * pow_backward_self / pow_backward_exponent:
 * - dx = dz · y · x^(y−1), and 0 where y = 0 (so 0^0 has slope 0, not 0 · inf);
 * - dy = dz · z · ln x, and 0 where x = 0 and y ≥ 0 (NaN for negative bases, as in PyTorch);
 * each summed back to its own shape (dy cast back to the exponent's type when it differs).
 */
export const Pow: GradientRule = {
  op: 'Pow',
  grad: (g) => {
    const [x, y, z, dz] = [g.I(0), g.I(1), g.O(0), g.GO(0)!];
    const sameType = g.dtype(y) === g.dtype(x);
    const zero = g.scalar(0, x);
    let dx: string | undefined;
    if (g.needs(0)) {
      const yAsX = sameType ? y : g.op('Cast', [y], { to: dtypeToOnnx(g.dtype(x)) });
      const slope = g.op('Mul', [yAsX, g.op('Pow', [x, g.op('Sub', [y, g.scalar(1, y)])])]);
      const masked = g.op('Where', [g.op('Equal', [y, g.scalar(0, y)]), zero, g.op('Mul', [dz, slope])]);
      dx = g.unbroadcast(masked, x);
    }
    let dy: string | undefined;
    if (g.needs(1)) {
      const flat = g.op('And', [g.op('Equal', [x, zero]), g.op('GreaterOrEqual', [y, g.scalar(0, y)])]);
      const masked = g.op('Where', [flat, zero, g.op('Mul', [dz, g.op('Mul', [z, g.op('Log', [x])])])]);
      const summed = g.unbroadcast(masked, y);
      dy = sameType ? summed : g.op('Cast', [summed], { to: dtypeToOnnx(g.dtype(y)) });
    }
    return [dx, dy];
  },
};
