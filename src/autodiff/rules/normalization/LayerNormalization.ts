import { dtypeFromOnnx, type DType } from '../../../tensor/dtype.js';
import type { GradientRule } from '../../types.js';
import { castTo, countAlong, normAxis, range, standardize } from './common.js';

/**
 * y = x̂ · scale + b with x̂ = (x − μ) · r, μ = mean(x), r = (var(x) + ε)^(−1/2) over the axes
 * [axis, rank) (negative axis allowed), outputs Mean = μ and InvStdDev = r (normalised axes kept
 * as 1s, element type stash_type). With D elements per group, g = dy · scale:
 *   dx     = r · g − r · mean(g) − x̂ · r · mean(g · x̂)        (from dy)
 *          + dMean / D                                        (from the Mean output)
 *          − x̂ · dInvStdDev · r² / D                          (from the InvStdDev output)
 *   dscale = Σ (dy · x̂) over the broadcast axes,  db = Σ dy.
 * Mean and InvStdDev are switched on and reused. The gradients arriving at them matter for
 * second order: the backward graph reads them, so differentiating it sends gradient there.
 * onnxruntime computes double input with float32 statistics (stash_type double has no kernel),
 * so for float64 μ and r are recomputed in double to keep the gradient as exact as y.
 */
export const LayerNormalization: GradientRule = {
  op: 'LayerNormalization',
  savedOutputs: () => [1, 2],
  grad: (g) => {
    const [x, scale, bias] = [g.I(0), g.I(1), g.I(2)];
    const [dy, dMean, dInv] = [g.GO(0), g.GO(1), g.GO(2)];
    const rank = g.rank(x);
    const axis = normAxis(g.node.int('axis', -1), rank);
    const epsilon = g.node.float('epsilon', 1e-5);
    const dtype = g.dtype(x);
    const stash: DType = dtypeFromOnnx(g.node.int('stash_type', 1)) ?? 'float32';
    const axes = g.ints(range(axis, rank));

    let xhat: string;
    let rinv: string;
    if (dtype === 'float64' && stash !== 'float64') {
      ({ xhat, rinv } = standardize(g, x, rank, dtype, axis, epsilon, x));
    } else {
      const mean = castTo(g, g.O(1), stash, dtype);
      rinv = castTo(g, g.O(2), stash, dtype);
      xhat = g.op('Mul', [g.op('Sub', [x, mean]), rinv]);
    }

    const dScale = g.needs(1) && dy ? g.unbroadcast(g.op('Mul', [dy, xhat]), scale) : undefined;
    const dBias = bias && g.needs(2) && dy ? g.unbroadcast(dy, bias) : undefined;
    if (!g.needs(0)) return [undefined, dScale, dBias];

    // dx = r·g − shift − x̂ · tilt: shift and tilt have the statistics' (small) shape.
    const count = dMean || dInv ? countAlong(g, x, range(axis, rank), x) : '';
    let dx: string | undefined;
    let shift: string | undefined;
    let tilt: string | undefined;
    if (dy) {
      const grad = g.op('Mul', [dy, scale]);
      dx = g.op('Mul', [grad, rinv]);
      shift = g.op('Mul', [g.op('ReduceMean', [grad, axes], { keepdims: 1 }), rinv]);
      tilt = g.op('Mul', [g.op('ReduceMean', [g.op('Mul', [grad, xhat]), axes], { keepdims: 1 }), rinv]);
    }
    if (dInv) {
      const t = g.op('Div', [g.op('Mul', [castTo(g, dInv, stash, dtype), g.op('Mul', [rinv, rinv])]), count]);
      tilt = tilt ? g.op('Add', [tilt, t]) : t;
    }
    if (dMean) {
      const m = g.op('Div', [castTo(g, dMean, stash, dtype), count]);
      if (!dx) dx = g.op('Expand', [m, g.shapeOf(x)]);
      else dx = g.op('Add', [dx, shift ? g.op('Sub', [m, shift]) : m]);
    } else if (shift) {
      dx = g.op('Sub', [dx!, shift]);
    }
    if (tilt) {
      const t = g.op('Mul', [xhat, tilt]);
      dx = dx ? g.op('Sub', [dx, t]) : g.op('Neg', [t]);
    }
    return [dx, dScale, dBias];
  },
};
