import type { GradientRule } from '../../types.js';

/**
 * y = alpha · op(a) @ op(b) + beta · c, op = optional transpose (transA, transB); c broadcasts.
 * da = alpha · dy @ op(b)ᵀ (transposed back if transA), db likewise, dc = beta · dy summed to c.
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
    const scale = (x: string, s: number): string => (s === 1 ? x : g.op('Mul', [x, g.scalar(s, a)]));
    // Gemm's own transpose flags express each product without explicit Transpose nodes.
    const da = g.needs(0)
      ? scale(transA ? g.op('Gemm', [b, dy], { transA: transB ? 1 : 0, transB: 1 }) : g.op('Gemm', [dy, b], { transA: 0, transB: transB ? 0 : 1 }), alpha)
      : undefined;
    const db = g.needs(1)
      ? scale(transB ? g.op('Gemm', [dy, a], { transA: 1, transB: transA ? 1 : 0 }) : g.op('Gemm', [a, dy], { transA: transA ? 0 : 1, transB: 0 }), alpha)
      : undefined;
    const c = g.I(2);
    const dc = c && g.needs(2) ? g.unbroadcast(scale(dy, beta), c) : undefined;
    return [da, db, dc];
  },
};
