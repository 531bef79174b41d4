import { dtypeToOnnx, isFloat } from '../../../tensor/dtype.js';
import type { GradientRule } from '../../types.js';

/** y = cast(x) to the type of `target_type`: as Cast; the target only lends its type. */
export const CastLike: GradientRule = {
  op: 'CastLike',
  nonDifferentiableInputs: [1],
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const from = g.dtype(x);
    if (!isFloat(from)) return [undefined, undefined];
    return [from === g.dtype(y) ? dy : g.op('Cast', [dy], { to: dtypeToOnnx(from) }), undefined];
  },
};
