import { dtypeToOnnx, isFloat } from '../../../tensor/dtype.js';
import type { GradientRule } from '../../types.js';

/** y = cast(x): dx = dy cast back to x's float type; an integer or bool x gets no gradient. */
export const Cast: GradientRule = {
  op: 'Cast',
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const from = g.dtype(x);
    if (!isFloat(from)) return [undefined];
    return [from === g.dtype(y) ? dy : g.op('Cast', [dy], { to: dtypeToOnnx(from) })];
  },
};
