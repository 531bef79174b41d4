import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitLasso, fitLinearRegression, minNormLeastSquares } from '../../../../src/attribution/perturbation/linear-model.js';
import { ROOT } from '../../../helpers/fixtures.js';

interface Case { kind: 'lasso' | 'linear'; n: number; m: number; x: number[]; y: number[]; w: number[]; coef: number[]; coef32: number[]; intercept: number; alpha?: number }
const { cases } = JSON.parse(readFileSync(join(ROOT, 'test/unit/attribution/perturbation/fixtures/linear-models.json'), 'utf8')) as { cases: Case[] };

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('surrogate models (sklearn re-implemented)', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i agrees with scikit-learn in float64', (_, c) => {
    const design = { x: Float64Array.from(c.x), n: c.n, m: c.m };
    const fit = c.kind === 'lasso' ? fitLasso(design, c.y, c.w, c.alpha!) : fitLinearRegression(design, c.y, c.w);
    // Same algorithm, same stopping rule: agreement to rounding, far inside sklearn's float32 spread.
    expect(maxDiff(fit.coef, c.coef)).toBeLessThan(1e-9);
    expect(Math.abs(fit.intercept - c.intercept)).toBeLessThan(1e-9);
    expect(maxDiff(fit.coef, c.coef32)).toBeLessThan(1e-3);
  });

  it('satisfies the Lasso optimality conditions', () => {
    const c = cases[0]!;
    const alpha = 0.01;
    const { coef, intercept } = fitLasso({ x: Float64Array.from(c.x), n: c.n, m: c.m }, c.y, c.w, alpha, { tol: 1e-12, maxIter: 100000 });
    const wSum = c.w.reduce((a, b) => a + b, 0);
    for (let j = 0; j < c.m; j++) {
      // ∂/∂β_j of Σ w r² / (2 Σw): −Σ w x_j r / Σw, equal to −α·sign(β_j), or within [−α, α] at 0.
      let g = 0;
      for (let i = 0; i < c.n; i++) {
        const r = c.y[i]! - intercept - coef.reduce((s, b, k) => s + b * c.x[i * c.m + k]!, 0);
        g += (c.w[i]! * c.x[i * c.m + j]! * r) / wSum;
      }
      if (coef[j] !== 0) expect(Math.abs(g - alpha * Math.sign(coef[j]!))).toBeLessThan(1e-8);
      else expect(Math.abs(g)).toBeLessThanOrEqual(alpha + 1e-8);
    }
  });

  it('gives the minimum-norm least-squares solution, tall or wide', () => {
    // Tall, full rank: the exact solution of a consistent system.
    const a = Float64Array.from([1, 2, 0, 1, 1, 1, 3, 0, 1, 0, 1, 2]);
    const beta = [0.5, -1, 2];
    const b = Float64Array.from({ length: 4 }, (_, i) => beta.reduce((s, v, j) => s + v * a[i * 3 + j]!, 0));
    expect(maxDiff(minNormLeastSquares(a, 4, 3, b), beta)).toBeLessThan(1e-12);
    // Wide: x1 + x2 = 2 has the minimum-norm solution (1, 1); duplicated columns split evenly.
    expect(maxDiff(minNormLeastSquares(Float64Array.from([1, 1]), 1, 2, Float64Array.from([2])), [1, 1])).toBeLessThan(1e-12);
    expect(maxDiff(minNormLeastSquares(Float64Array.from([1, 1, 2, 2, 0, 0]), 3, 2, Float64Array.from([2, 4, 0])), [1, 1])).toBeLessThan(1e-12);
  });
});
