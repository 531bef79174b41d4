import type { GradContext, GradientRule } from '../../types.js';
import { shapeTensor } from './window.js';

/**
 * y = a @ b with numpy semantics (batch dims broadcast; 1-D operands are promoted to matrices
 * and the added dim is removed from y). da = dy @ bᵀ, db = aᵀ @ dy, summed back over broadcast
 * batch dims.
 * When b is a plain matrix (a Linear layer: a [..., K], b [K, N]) both products are single Gemms
 * on a flattened to [rows, K] — no Transpose, and db = aᵀ·dy in one product instead of a batched
 * product followed by a ReduceSum over the batch.
 */
export const MatMul: GradientRule = {
  op: 'MatMul',
  grad: (g) => {
    const [a, b, dy] = [g.I(0), g.I(1), g.GO(0)!];
    const ra = g.rank(a);
    const rb = g.rank(b);
    if (ra >= 2 && rb === 2) return linear(g, a, b, dy, ra);
    // Promote 1-D operands and dy to the matrix form the product actually used.
    const A = ra === 1 ? g.op('Unsqueeze', [a, g.ints([0])]) : a;
    const B = rb === 1 ? g.op('Unsqueeze', [b, g.ints([1])]) : b;
    const added = [...(ra === 1 ? [-2] : []), ...(rb === 1 ? [-1] : [])];
    const D = added.length > 0 ? g.op('Unsqueeze', [dy, g.ints(added)]) : dy;
    const rd = Math.max(ra === 1 ? 2 : ra, rb === 1 ? 2 : rb);
    const da = g.needs(0) ? sumTo(g, g.op('MatMul', [D, swapLast(g, B, rb === 1 ? 2 : rb)]), a, rd, ra) : undefined;
    const db = g.needs(1) ? sumTo(g, g.op('MatMul', [swapLast(g, A, ra === 1 ? 2 : ra), D]), b, rd, rb) : undefined;
    return [da, db];
  },
};

/** a [..., K] @ b [K, N]: da = dy·bᵀ, db = a₂ᵀ·dy₂ with a₂, dy₂ the row-flattened operands. */
function linear(g: GradContext, a: string, b: string, dy: string, ra: number): (string | undefined)[] {
  const rows = (x: string, cols: readonly [string, number]): string => (ra === 2 ? x : g.op('Reshape', [x, shapeTensor(g, [-1, cols])]));
  const dy2 = rows(dy, [b, 1]);
  let da: string | undefined;
  if (g.needs(0)) {
    da = g.op('Gemm', [dy2, b], { transB: 1 });
    if (ra > 2) da = g.op('Reshape', [da, g.shapeOf(a)]);
  }
  const db = g.needs(1) ? g.op('Gemm', [rows(a, [b, 0]), dy2], { transA: 1 }) : undefined;
  return [da, db];
}

function swapLast(g: GradContext, x: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return g.op('Transpose', [x], { perm });
}

/** Sums a product-shaped gradient (rank `rd`) back to operand `x` (original rank `rx`). */
function sumTo(g: GradContext, grad: string, x: string, rd: number, rx: number): string {
  const xr = rx === 1 ? 2 : rx;
  const shape = g.shape(x);
  const xShape = rx === 1 ? null : shape;
  const axes: number[] = [];
  for (let i = 0; i < rd - 2; i++) {
    const j = i - (rd - xr);
    if (j < 0 || (xShape && xShape[j] === 1)) axes.push(i);
  }
  let out = axes.length ? g.op('ReduceSum', [grad, g.ints(axes)], { keepdims: 1 }) : grad;
  if (axes.length || rx === 1) out = g.op('Reshape', [out, g.shapeOf(x)]);
  return out;
}
