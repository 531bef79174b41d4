import { emitActivation } from './activations.js';
import { clipped, sumHalves, type CellFactory } from './unroll.js';

/**
 * One GRU step (gate order zrh):
 *   z = f(Xt·Wzᵀ + Ht-1·Rzᵀ + Wbz + Rbz)
 *   r = f(Xt·Wrᵀ + Ht-1·Rrᵀ + Wbr + Rbr)
 *   h = g(Xt·Whᵀ + (r ⊙ Ht-1)·Rhᵀ + Rbh + Wbh)          linear_before_reset = 0
 *   h = g(Xt·Whᵀ + r ⊙ (Ht-1·Rhᵀ + Rbh) + Wbh)          linear_before_reset ≠ 0
 *   Ht = (1 − z) ⊙ h + z ⊙ Ht-1, written h + z ⊙ (Ht-1 − h)
 * clip bounds the inputs of f and g. The hoisted bias is Wb + Rb, except Rbh with
 * linear_before_reset, which stays inside the product with r.
 */
export const gruCell: CellFactory = (e, spec, dir) => {
  const H = spec.hidden;
  const rows = (n: number) => [spec.batch, n];
  const [f, g] = dir.acts;
  const [Rzr, Rh] = e.split(dir.R, 0, [2 * H, H], [[2 * H, H], [H, H]]) as [string, string];
  let hoistedBias: string | undefined;
  let Rbh: string | undefined;
  if (dir.B && spec.linearBeforeReset) {
    const [wzr, wh, rzr, rh] = e.split(dir.B, 0, [2 * H, H, 2 * H, H], [[2 * H], [H], [2 * H], [H]]) as [string, string, string, string];
    hoistedBias = e.op('Concat', [e.op('Add', [wzr, rzr], undefined, [2 * H]), wh], { axis: 0 }, [3 * H]);
    Rbh = rh;
  } else if (dir.B) {
    hoistedBias = sumHalves(e, dir.B, 3 * H);
  }

  return {
    hoistedBias,
    // The hoisted projection arrives cut into its [z r] and h parts.
    parts: [2 * H, H],
    step([xzr, xh], state) {
      const zrPre = state.h ? e.op('Gemm', [state.h, Rzr, xzr], { transB: 1 }, rows(2 * H)) : xzr!;
      const [z, r] = e.split(emitActivation(e, f, clipped(e, spec, zrPre, rows(2 * H)), rows(2 * H)), 1, [H, H], [rows(H), rows(H)]) as [string, string];
      let hPre = xh!;
      if (spec.linearBeforeReset) {
        const recurrent = state.h ? e.op('Gemm', [state.h, Rh, Rbh], { transB: 1 }, rows(H)) : Rbh;
        if (recurrent) hPre = e.op('Add', [xh, e.op('Mul', [r, recurrent], undefined, rows(H))], undefined, rows(H));
      } else if (state.h) {
        hPre = e.op('Gemm', [e.op('Mul', [r, state.h], undefined, rows(H)), Rh, xh], { transB: 1 }, rows(H));
      }
      const candidate = emitActivation(e, g, clipped(e, spec, hPre, rows(H)), rows(H));
      const h = state.h
        ? e.op('Add', [candidate, e.op('Mul', [z, e.op('Sub', [state.h, candidate], undefined, rows(H))], undefined, rows(H))], undefined, rows(H))
        : e.op('Mul', [e.op('Sub', [e.scalar(1), z], undefined, rows(H)), candidate], undefined, rows(H));
      return { h };
    },
  };
};
