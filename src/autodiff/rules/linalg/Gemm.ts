import type { GradientRule } from '../../types.js';

/**
 * y = alpha · op(a) @ op(b) + beta · c, op = optional transpose (transA, transB); c broadcasts.
 * da = alpha · dy @ op(b)ᵀ (transposed back if transA), db likewise, dc = beta · dy summed to c.
 * Gemm's own transpose flags and alpha express each product without Transpose or Mul nodes.
 */
export const Gemm: GradientRule = {
  op: 'Gemm',
  grad: (g) => {
    const node = g.node;
    const alpha = node.float('alpha', 1);
    const beta = node.float('beta', 1);
    const transA = node.int('transA', 0) === 1;
    const transB = node.int('transB', 0) === 1;
    const [a, b, dy] = [g.I(0), g.I(1), g.GO(0)!];
    const gemm = (x: string, y: string, tx: boolean, ty: boolean): string =>
      g.op('Gemm', [x, y], { transA: tx ? 1 : 0, transB: ty ? 1 : 0, ...(alpha !== 1 ? { alpha } : {}) });
    const da = g.needs(0) ? (transA ? gemm(b, dy, transB, true) : gemm(dy, b, false, !transB)) : undefined;
    const db = g.needs(1) ? (transB ? gemm(dy, a, true, transA) : gemm(a, dy, !transA, false)) : undefined;
    const c = g.I(2);
    // Sum to c's shape first, then scale the (smaller) result.
    const dc = c && g.needs(2) ? (beta === 1 ? g.unbroadcast(dy, c) : g.op('Mul', [g.unbroadcast(dy, c), g.scalar(beta, c)])) : undefined;
    return [da, db, dc];
  },
};
