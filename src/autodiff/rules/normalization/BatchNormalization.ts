import { GlassboxError } from '../../../util/errors.js';
import type { GradientRule } from '../../types.js';
import { perChannel, range } from './common.js';

/**
 * Inference mode: y = scale · (x − mean) · r + b with r = (var + ε)^(−1/2), all per channel
 * (axis 1). With S = Σ dy · (x − mean) and Σ over every axis but 1:
 *   dx = dy · scale · r,  dscale = r · S,  db = Σ dy,
 *   dmean = −scale · r · Σ dy,  dvar = −½ · scale · r³ · S.
 * Training mode (batch statistics) is lowered to primitives before differentiation, never here.
 */
export const BatchNormalization: GradientRule = {
  op: 'BatchNormalization',
  grad: (g) => {
    if (g.node.int('training_mode', 0) !== 0 || g.node.outputs.filter(Boolean).length > 1) {
      throw new GlassboxError('unsupported-op', `${g.node.describe()} is in training mode; only inference-mode BatchNormalization has a gradient rule`);
    }
    const [x, scale, , mean, variance] = [0, 1, 2, 3, 4].map((i) => g.I(i)) as [string, string, string, string, string];
    const dy = g.GO(0)!;
    const rank = g.rank(x);
    const axes = g.ints([0, ...range(2, rank)]);
    const rinv = g.op('Div', [g.scalar(1, x), g.op('Sqrt', [g.op('Add', [variance, g.scalar(g.node.float('epsilon', 1e-5), x)])])]);
    const needsS = g.needs(1) || g.needs(4);
    const needsSum = g.needs(2) || g.needs(3);
    const gain = g.needs(0) || g.needs(3) || g.needs(4) ? g.op('Mul', [scale, rinv]) : '';
    const S = needsS ? g.op('ReduceSum', [g.op('Mul', [dy, g.op('Sub', [x, perChannel(g, mean, rank)])]), axes], { keepdims: 0 }) : '';
    const sum = needsSum ? g.op('ReduceSum', [dy, axes], { keepdims: 0 }) : '';
    return [
      g.needs(0) ? g.op('Mul', [dy, perChannel(g, gain, rank)]) : undefined,
      g.needs(1) ? g.op('Mul', [S, rinv]) : undefined,
      g.needs(2) ? sum : undefined,
      g.needs(3) ? g.op('Neg', [g.op('Mul', [gain, sum])]) : undefined,
      g.needs(4) ? g.op('Mul', [S, g.op('Mul', [gain, g.op('Mul', [g.op('Mul', [rinv, rinv]), g.scalar(-0.5, x)])])]) : undefined,
    ];
  },
};
