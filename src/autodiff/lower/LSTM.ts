import { emitActivation } from './activations.js';
import { clipped, sumHalves, type CellFactory } from './unroll.js';

/**
 * One LSTM step (gate order iofc, peepholes P = [Pi, Po, Pf]):
 *   i = f(Xt·Wiᵀ + Ht-1·Riᵀ + Pi ⊙ Ct-1 + Wbi + Rbi)
 *   f = f(Xt·Wfᵀ + Ht-1·Rfᵀ + Pf ⊙ Ct-1 + Wbf + Rbf)      (1 − i with input_forget)
 *   c = g(Xt·Wcᵀ + Ht-1·Rcᵀ + Wbc + Rbc)
 *   Ct = f ⊙ Ct-1 + i ⊙ c
 *   o = f(Xt·Woᵀ + Ht-1·Roᵀ + Po ⊙ Ct + Wbo + Rbo)
 *   Ht = o ⊙ h(Ct)
 * clip bounds every input of f and g (not Ct before h), as onnxruntime does. Wb + Rb is folded
 * into the hoisted projection. Without peepholes or input_forget the i, o, f gates go through
 * f as one [batch, 3H] block.
 */
export const lstmCell: CellFactory = (e, spec, dir) => {
  const H = spec.hidden;
  const rows = (n: number) => [spec.batch, n];
  const [f, g, h] = dir.acts;
  const hoistedBias = dir.B ? sumHalves(e, dir.B, 4 * H) : undefined;
  const peep = dir.P ? e.split(dir.P, 0, [H, H, H], [[H], [H], [H]]) : undefined;
  const gate = (pre: string, n: number, act = f) => emitActivation(e, act, clipped(e, spec, pre, rows(n)), rows(n));
  const withPeephole = (pre: string, p: string | undefined, c: string | undefined): string =>
    p && c ? e.op('Add', [pre, e.op('Mul', [c, p], undefined, rows(H))], undefined, rows(H)) : pre;

  return {
    hoistedBias,
    parts: [4 * H],
    step([xw], state) {
      const pre = state.h ? e.op('Gemm', [state.h, dir.R, xw], { transB: 1 }, rows(4 * H)) : xw!;
      let i: string;
      let o: string | undefined;
      let fg: string;
      let cPre: string;
      let oPre: string | undefined;
      if (!peep && !spec.inputForget) {
        const [iofPre, c] = e.split(pre, 1, [3 * H, H], [rows(3 * H), rows(H)]);
        [i, o, fg] = e.split(gate(iofPre!, 3 * H), 1, [H, H, H], [rows(H), rows(H), rows(H)]) as [string, string, string];
        cPre = c!;
      } else {
        const [iPre, oP, fPre, c] = e.split(pre, 1, [H, H, H, H], [rows(H), rows(H), rows(H), rows(H)]) as [string, string, string, string];
        i = gate(withPeephole(iPre, peep?.[0], state.c), H);
        fg = spec.inputForget ? e.op('Sub', [e.scalar(1), i], undefined, rows(H)) : gate(withPeephole(fPre, peep?.[2], state.c), H);
        oPre = oP;
        cPre = c;
      }
      const candidate = gate(cPre, H, g);
      const fresh = e.op('Mul', [i, candidate], undefined, rows(H));
      const c = state.c ? e.op('Add', [e.op('Mul', [fg, state.c], undefined, rows(H)), fresh], undefined, rows(H)) : fresh;
      if (oPre !== undefined) o = gate(withPeephole(oPre, peep?.[1], c), H);
      const hidden = e.op('Mul', [o!, emitActivation(e, h, c, rows(H))], undefined, rows(H));
      return { h: hidden, c };
    },
  };
};
