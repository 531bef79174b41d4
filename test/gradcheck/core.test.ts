import { describe, it } from 'vitest';
import { expectGradientsMatch, rand } from './harness.js';

describe('core rules (float64, central differences)', () => {
  it('MatMul: batched, broadcast and 1-D operands', async () => {
    await expectGradientsMatch({
      build: (b) => {
        const a = b.input('a', 'float64', ['batch', 2, 3, 4]);
        const w = b.input('w', 'float64', [2, 4, 5]);
        const v = b.input('v', 'float64', [5]);
        const u = b.input('u', 'float64', [3]);
        const h = b.op('MatMul', [a, w]); // [batch, 2, 3, 5], w broadcast over batch
        const r = b.op('MatMul', [h, v]); // [batch, 2, 3]
        return b.op('MatMul', [r, u]); // [batch, 2]
      },
      feeds: { a: rand([2, 2, 3, 4]), w: rand([2, 4, 5]), v: rand([5]), u: rand([3]) },
    });
  });

  it('Gemm with every transpose combination', async () => {
    for (const [transA, transB] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
      await expectGradientsMatch({
        build: (b) => {
          const a = b.input('a', 'float64', transA ? [4, 3] : [3, 4]);
          const w = b.input('w', 'float64', transB ? [5, 4] : [4, 5]);
          const c = b.input('c', 'float64', [5]);
          return b.op('Gemm', [a, w, c], { transA, transB, alpha: 0.7, beta: 1.3 });
        },
        feeds: { a: rand(transA ? [4, 3] : [3, 4]), w: rand(transB ? [5, 4] : [4, 5]), c: rand([5]) },
      });
    }
  });
});
