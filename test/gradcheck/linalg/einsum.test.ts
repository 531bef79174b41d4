/**
 * Einsum (onnxruntime has double Einsum kernels): central differences in float64, tolerance
 * 1e-6 (the harness default: Einsum is multilinear, so the only error is rounding).
 */
import { describe, expect, it } from 'vitest';
import type { Dim } from '../../../src/onnx/ir/value.js';
import { gradcheck } from '../../../src/engine/gradcheck.js';
import { GraphBuilder } from '../../../src/onnx/builder.js';
import { inferShapes } from '../../../src/onnx/shapes/index.js';
import { expectGradientsMatch } from '../harness.js';
import { randn, report, worstOf } from './helpers.js';

interface EinsumCase {
  equation: string;
  /** Shapes fed, and (optionally) the shapes declared. */
  shapes: number[][];
  declared?: Dim[][];
}

const CASES: EinsumCase[] = [
  { equation: 'bij,bjk->bik', shapes: [[3, 2, 4], [3, 4, 5]], declared: [['batch', 2, 4], ['batch', 4, 5]] },
  { equation: 'ij,jk->ik', shapes: [[3, 4], [4, 2]] },
  { equation: 'bhqd,bhkd->bhqk', shapes: [[2, 2, 3, 4], [2, 2, 5, 4]], declared: [['batch', 2, 3, 4], ['batch', 2, 5, 4]] },
  { equation: 'bhqk,bhkd->bhqd', shapes: [[2, 2, 3, 5], [2, 2, 5, 4]], declared: [['batch', 2, 3, 5], ['batch', 2, 5, 4]] },
  { equation: 'i,j->ij', shapes: [[3], [4]] },
  { equation: 'i,i->', shapes: [[5], [5]] },
  { equation: 'ij->ji', shapes: [[3, 4]] },
  { equation: 'ij->i', shapes: [[3, 4]] },
  { equation: 'bij->bj', shapes: [[3, 2, 4]], declared: [['batch', 2, 4]] },
  { equation: 'ij,ij->ij', shapes: [[3, 4], [3, 4]] },
  // Implicit outputs: letters occurring once, sorted.
  { equation: 'ij,jk', shapes: [[3, 4], [4, 2]] },
  { equation: 'ji', shapes: [[3, 4]] },
  { equation: 'i,i', shapes: [[5], [5]] },
  { equation: 'bij,bjk', shapes: [[2, 3, 4], [2, 4, 5]] },
  // A letter only one operand has, summed away (its gradient is expanded back).
  { equation: 'ij,jk->i', shapes: [[3, 4], [4, 2]] },
  // Three operands, a scalar operand, spaces.
  { equation: 'ij,jk,k->i', shapes: [[3, 4], [4, 2], [2]] },
  { equation: ',i->i', shapes: [[], [4]] },
  { equation: 'ij , jk -> ki', shapes: [[3, 4], [4, 2]] },
  // Ellipsis, with broadcasting of a size-1 ellipsis dim, and in the middle of a term.
  { equation: '...ij,...jk->...ik', shapes: [[2, 3, 4], [1, 4, 5]], declared: [['batch', 3, 4], [1, 4, 5]] },
  { equation: 'i...j->j...i', shapes: [[2, 4, 5, 3]] },
  { equation: '...i,...i->...', shapes: [[2, 3, 4], [2, 3, 4]] },
  { equation: 'b...', shapes: [[2, 3, 4]] },
];

describe('Einsum (float64, central differences)', () => {
  for (const c of CASES) {
    it(`"${c.equation}" on ${c.shapes.map((s) => `[${s}]`).join(', ')}`, async () => {
      const names = c.shapes.map((_, i) => `x${i}`);
      const results = await expectGradientsMatch({
        build: (b) => b.op('Einsum', names.map((n, i) => b.input(n, 'float64', c.declared?.[i] ?? c.shapes[i]!)), { equation: c.equation }),
        feeds: Object.fromEntries(names.map((n, i) => [n, randn(c.shapes[i]!, 'float64')])),
      });
      report(`Einsum ${c.equation}`, 'float64-central-diff', worstOf(results));
    });
  }

  // Letters of size 1 broadcasting against the other operand (onnxruntime allows it; the
  // static shape inference rejects it, so the output's type is declared by hand).
  for (const [equation, shapes, out] of [
    ['ij,ij->ij', [[3, 1], [1, 4]], [3, 4]],
    ['ij,jk->ik', [[2, 1], [3, 4]], [2, 4]],
    ['ij,jk->ik', [[2, 3], [1, 4]], [2, 4]],
  ] as [string, number[][], number[]][]) {
    it(`"${equation}" on ${shapes.map((s) => `[${s}]`).join(', ')} (size-1 letters broadcast)`, async () => {
      const b = new GraphBuilder();
      const names = shapes.map((_, i) => `x${i}`);
      const y = b.op('Einsum', names.map((n, i) => b.input(n, 'float64', shapes[i]!)), { equation });
      b.output(y, { elemType: 11, shape: out });
      const model = b.model({ opset: 21 });
      inferShapes(model);
      const results = await gradcheck(model, { feeds: Object.fromEntries(names.map((n, i) => [n, randn(shapes[i]!, 'float64')])), runtime: { deterministic: true } });
      for (const r of results) expect(r.worstRelError, r.wrt).toBeLessThan(1e-6);
      report(`Einsum ${equation} broadcast`, 'float64-central-diff', worstOf(results));
    });
  }

  it('attention-style chain: softmax-free QKᵀV with dynamic batch', async () => {
    await expectGradientsMatch({
      build: (b) => {
        const q = b.input('q', 'float64', ['batch', 2, 3, 4]);
        const k = b.input('k', 'float64', ['batch', 2, 5, 4]);
        const v = b.input('v', 'float64', ['batch', 2, 5, 4]);
        const s = b.op('Einsum', [q, k], { equation: 'bhqd,bhkd->bhqk' });
        return b.op('Einsum', [b.op('Tanh', [s]), v], { equation: 'bhqk,bhkd->bhqd' });
      },
      feeds: { q: randn([3, 2, 3, 4], 'float64'), k: randn([3, 2, 5, 4], 'float64'), v: randn([3, 2, 5, 4], 'float64') },
    });
  });

  it('refuses diagonals ("ii->i") with a one-line unsupported-op error', async () => {
    await expect(expectGradientsMatch({
      build: (b) => b.op('Einsum', [b.input('x', 'float64', [3, 3])], { equation: 'ii->i' }),
      feeds: { x: randn([3, 3], 'float64') },
    })).rejects.toThrow(/cannot differentiate Einsum node .*repeats a letter/);
  });
});
