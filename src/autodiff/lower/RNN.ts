import { emitActivation } from './activations.js';
import { clipped, sumHalves, type CellFactory } from './unroll.js';

/**
 * One simple-RNN step: Ht = f(Xt·Wᵀ + Ht-1·Rᵀ + Wb + Rb), clip bounding the input of f.
 * Wb + Rb is folded into the hoisted projection.
 */
export const rnnCell: CellFactory = (e, spec, dir) => {
  const H = spec.hidden;
  const rows = [spec.batch, H];
  const [f] = dir.acts;
  return {
    hoistedBias: dir.B ? sumHalves(e, dir.B, H) : undefined,
    parts: [H],
    step([xw], state) {
      const pre = state.h ? e.op('Gemm', [state.h, dir.R, xw], { transB: 1 }, rows) : xw!;
      return { h: emitActivation(e, f, clipped(e, spec, pre, rows), rows) };
    },
  };
};
