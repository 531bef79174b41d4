/** MatMul and Gemm beyond core.test.ts: float64 central differences, tolerance 1e-6. */
import { describe, it } from 'vitest';
import type { Dim } from '../../../src/onnx/ir/value.js';
import { expectGradientsMatch } from '../harness.js';
import { randn, report, worstOf } from './helpers.js';

const CASES: { name: string; a: number[]; b: number[]; da?: Dim[]; db?: Dim[] }[] = [
  { name: '1-D · 1-D (dot product, scalar output)', a: [4], b: [4] },
  { name: '1-D · 2-D', a: [3], b: [3, 5] },
  { name: '2-D · 1-D', a: [4, 3], b: [3] },
  { name: '2-D · 2-D (two Gemms)', a: [4, 3], b: [3, 5] },
  { name: '3-D · 2-D, dynamic batch and sequence (flattened Gemms)', a: [3, 2, 4], b: [4, 5], da: ['batch', 'seq', 4] },
  { name: '4-D · 2-D', a: [2, 3, 2, 4], b: [4, 3], da: ['batch', 3, 2, 4] },
  { name: '2-D · 3-D (a broadcast over b\'s batch)', a: [2, 4], b: [3, 4, 5], db: ['batch', 4, 5] },
  { name: 'batched with broadcasting on both sides', a: [3, 1, 2, 4], b: [2, 4, 5], da: ['batch', 1, 2, 4] },
  { name: '1-D · batched 3-D', a: [4], b: [3, 4, 2], db: ['batch', 4, 2] },
  { name: 'batched 3-D · 1-D', a: [3, 2, 4], b: [4], da: ['batch', 2, 4] },
];

describe('MatMul (float64, central differences)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const results = await expectGradientsMatch({
        build: (b) => b.op('MatMul', [b.input('a', 'float64', c.da ?? c.a), b.input('b', 'float64', c.db ?? c.b)]),
        feeds: { a: randn(c.a, 'float64'), b: randn(c.b, 'float64') },
      });
      report(`MatMul ${c.name}`, 'float64-central-diff', worstOf(results));
    });
  }
});

describe('Gemm (float64, central differences)', () => {
  for (const [transA, transB] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
    for (const c of [[5], [3, 1], [1, 5], []] as number[][]) {
      it(`transA=${transA} transB=${transB}, alpha 1.5, beta 0.5, c of shape [${c}]`, async () => {
        const results = await expectGradientsMatch({
          build: (b) => b.op('Gemm', [
            b.input('a', 'float64', transA ? [4, 3] : [3, 4]),
            b.input('w', 'float64', transB ? [5, 4] : [4, 5]),
            b.input('c', 'float64', c),
          ], { transA, transB, alpha: 1.5, beta: 0.5 }),
          feeds: { a: randn(transA ? [4, 3] : [3, 4], 'float64'), w: randn(transB ? [5, 4] : [4, 5], 'float64'), c: randn(c, 'float64') },
        });
        report(`Gemm ${transA}${transB} c[${c}]`, 'float64-central-diff', worstOf(results));
      });
    }
  }
  it('no C input, alpha = 1', async () => {
    await expectGradientsMatch({
      build: (b) => b.op('Gemm', [b.input('a', 'float64', ['batch', 4]), b.input('w', 'float64', [5, 4])], { transB: 1 }),
      feeds: { a: randn([3, 4], 'float64'), w: randn([5, 4], 'float64') },
    });
  });
});
