import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { rowNorms, sensitivityMax, uniformPerturbation, type SensitivityPerturbFunc } from '../../../../src/attribution/metrics/index.js';
import type { Target } from '../../../../src/attribution/types.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { float32, gradient, inputXGradient, linearModel, method, row, weightColumn , mlpModel, TARGET, X } from './helpers.js';


/** The default perturbation, recording what it produced. */
function recording(seen: Tensor[]): SensitivityPerturbFunc {
  return (inputs, radius, random) => {
    const out = uniformPerturbation(inputs, radius, random);
    seen.push(out);
    return out;
  };
}

describe('sensitivityMax (Captum definition)', () => {
  let linear: Explainable;
  let mlp: Explainable;
  beforeAll(async () => {
    linear = await linearModel();
    mlp = await mlpModel();
  });
  afterAll(async () => {
    await linear.release();
    await mlp.release();
  });

  it('is 0 for Saliency on a linear model (its gradient does not depend on the input)', async () => {
    const value = await sensitivityMax(method(gradient, linear), X, { attributeOptions: { target: TARGET } });
    expect([...value]).toEqual([0, 0]);
  });

  it('matches the closed form max ‖δ⊙w‖ / ‖x⊙w‖ for InputXGradient, with δ in the L∞ ball of radius 0.02', async () => {
    const seen: Tensor[] = [];
    const value = await sensitivityMax(method(inputXGradient, linear), X, { attributeOptions: { target: TARGET }, perturbFunc: recording(seen) });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.shape).toEqual([20, 4]);
    for (const fro of [true, false]) {
      const got = fro ? value : await sensitivityMax(method(inputXGradient, linear), X, { attributeOptions: { target: TARGET }, normOrd: Infinity, perturbFunc: recording(seen) });
      const perturbed = seen[fro ? 0 : 1]!;
      for (let r = 0; r < 2; r++) {
        const w = weightColumn(TARGET[r]!);
        const x = row(X, r);
        const norm = (v: number[]): number => (fro ? Math.hypot(...v) : Math.max(...v.map(Math.abs)));
        let want = 0;
        for (let s = 0; s < 10; s++) {
          const delta = row(perturbed, r * 10 + s).map((v, i) => v - x[i]!);
          expect(Math.max(...delta.map(Math.abs))).toBeLessThanOrEqual(0.02 + 1e-6);
          want = Math.max(want, norm(delta.map((d, i) => d * w[i]!)) / norm(x.map((v, i) => v * w[i]!)));
        }
        expect(Math.abs(got[r]! - want) / want).toBeLessThan(1e-4);
      }
    }
  });

  it('expands per-row targets for the perturbed rows and honours maxExamplesPerBatch', async () => {
    const calls: { target: Target; rows: number }[] = [];
    const x = float32([2, 8], Array.from({ length: 16 }, (_, i) => Math.sin(i + 1)));
    // A deterministic perturbation that counts samples, so chunking does not change it: the s-th
    // sample of every row is shifted by (−1)^i·0.3·(s + 1) on element i.
    const shifted = (): SensitivityPerturbFunc => {
      let done = 0;
      return (inputs) => {
        const k = inputs.shape[0]! / 2;
        const out = (inputs.data as Float32Array).map((v, i) => v + (-1) ** i * 0.3 * (done + (Math.floor(i / 8) % k) + 1));
        done += k;
        return new Tensor('float32', inputs.shape, out);
      };
    };
    const whole = await sensitivityMax(method(gradient, mlp, calls), x, { attributeOptions: { target: [2, 1] }, nPerturbSamples: 3, perturbFunc: shifted() });
    expect(calls.map((c) => c.rows)).toEqual([2, 6]);
    expect(calls[1]!.target).toEqual([2, 2, 2, 1, 1, 1]);
    calls.length = 0;
    const chunked = await sensitivityMax(method(gradient, mlp, calls), x, { attributeOptions: { target: [2, 1] }, nPerturbSamples: 3, perturbFunc: shifted(), maxExamplesPerBatch: 4 });
    expect(calls.map((c) => c.rows)).toEqual([2, 4, 2]);
    expect(calls[2]!.target).toEqual([2, 1]);
    expect(whole.every((v) => v > 0)).toBe(true);
    for (let r = 0; r < 2; r++) expect(Math.abs(chunked[r]! - whole[r]!) / whole[r]!).toBeLessThan(1e-6);
  });

  it('is reproducible with a seed and differs between seeds', async () => {
    const x = float32([2, 8], Array.from({ length: 16 }, (_, i) => Math.cos(i)));
    const run = (seed: number) => sensitivityMax(method(gradient, mlp), x, { attributeOptions: { target: 0 }, perturbRadius: 1, seed });
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('computes the row norms torch.norm computes', () => {
    const t = float32([2, 3], [3, -4, 0, 1, 2, -2]);
    expect([...rowNorms(t, 'fro')]).toEqual([5, 3]);
    expect([...rowNorms(t, 1)]).toEqual([7, 5]);
    expect([...rowNorms(t, Infinity)]).toEqual([4, 2]);
    expect([...rowNorms(t, -Infinity)]).toEqual([0, 1]);
    expect([...rowNorms(t, 0)]).toEqual([2, 3]);
  });

  it('refuses bad perturbations and sample counts with one-line errors', async () => {
    const m = method(gradient, linear);
    await expect(sensitivityMax(m, X, { attributeOptions: { target: 0 }, perturbFunc: (inputs) => inputs.sliceBatch(0, 3) })).rejects.toThrow(/perturbation function returned shape \[3, 4\] for inputs of shape \[20, 4\]/);
    await expect(sensitivityMax(m, X, { attributeOptions: { target: 0 }, nPerturbSamples: 0 })).rejects.toThrow(/nPerturbSamples must be a positive integer, got 0/);
    await expect(sensitivityMax(m, X, { attributeOptions: { target: 0 }, perturbRadius: -1 })).rejects.toThrow(/perturbRadius must be a non-negative number/);
  });
});
