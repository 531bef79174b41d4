import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { gaussianPerturbation, infidelity, infidelityPerturbFuncDecorator, type InfidelityPerturbFunc } from '../../../../src/attribution/metrics/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { float32, gradient, inputXGradient, integratedGradients, linearModel, row, weightColumn , mlpModel, TARGET, X } from './helpers.js';


/**
 * I = scale·e_(s mod 4) for the s-th sample of each row: a deterministic perturbation that does
 * not depend on how samples are split into chunks (it counts the samples already handed out).
 */
function axisPerturbation(scale: number, rows = 2): InfidelityPerturbFunc {
  let done = 0;
  return (inputs) => {
    const k = inputs.shape[0]! / rows;
    const per = inputs.size / inputs.shape[0]!;
    const p = new Float32Array(inputs.size);
    for (let j = 0; j < inputs.shape[0]!; j++) p[j * per + ((done + (j % k)) % 4)] = scale;
    done += k;
    const x = inputs.data as Float32Array;
    return { perturbations: new Tensor('float32', inputs.shape, p), perturbed: new Tensor('float32', inputs.shape, x.map((v, i) => v - p[i]!)) };
  };
}

describe('infidelity (Captum definition)', () => {
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

  it('is zero for exact local attributions of a linear model, for any perturbation', async () => {
    const saliency = await gradient(linear, X, TARGET);
    const wrong = new Tensor('float32', X.shape, (saliency.data as Float32Array).map((v) => 2 * v));
    for (const perturbFunc of [undefined, gaussianPerturbation({ stdev: 0.5 }), axisPerturbation(0.7)]) {
      const options = { target: TARGET, nPerturbSamples: 8, ...(perturbFunc ? { perturbFunc } : {}) };
      const good = await infidelity(linear, X, saliency, options);
      const bad = await infidelity(linear, X, wrong, options);
      for (let r = 0; r < 2; r++) {
        // float32 forward differences: (F(x) − F(x − I)) carries ~1e-7 absolute error.
        expect(good[r]!).toBeLessThan(1e-6 * bad[r]! + 1e-12);
        expect(bad[r]!).toBeGreaterThan(0);
      }
    }
  });

  it('is zero for IG and InputXGradient with perturbations relative to the baseline (multiplyByInputs)', async () => {
    const binary = infidelityPerturbFuncDecorator(true)((inputs, { random }) => {
      // Captum's suggestion for global attributions: a random subset of features set to the baseline.
      const x = inputs.data as Float32Array;
      return new Tensor('float32', inputs.shape, x.map((v) => (random.next() < 0.5 ? 0 : v)));
    });
    for (const attr of [await integratedGradients(linear, X, TARGET), await inputXGradient(linear, X, TARGET)]) {
      for (const perturbFunc of [gaussianPerturbation({ stdev: 0.1, multiplyByInputs: true }), binary]) {
        const value = await infidelity(linear, X, attr, { target: TARGET, perturbFunc, baselines: 'zeros' });
        expect(Math.max(...value)).toBeLessThan(1e-9);
      }
      // The same attributions scored against plain perturbations are not faithful.
      expect(Math.max(...await infidelity(linear, X, attr, { target: TARGET, perturbFunc: gaussianPerturbation({ stdev: 0.1 }) }))).toBeGreaterThan(1e-4);
    }
  });

  it('matches the closed form, with and without normalisation', async () => {
    const attr = float32([2, 4], [1, 2, -1, 0.5, 0.3, -0.2, 0.9, 1.4]);
    const [scale, n] = [0.5, 6];
    const got = await infidelity(linear, X, attr, { target: TARGET, perturbFunc: axisPerturbation(scale), nPerturbSamples: n });
    const gotNorm = await infidelity(linear, X, attr, { target: TARGET, perturbFunc: axisPerturbation(scale), nPerturbSamples: n, normalize: true });
    for (let r = 0; r < 2; r++) {
      const a = row(attr, r).map((v) => scale * v);
      const w = weightColumn(TARGET[r]!).map((v) => scale * v);
      const axes = Array.from({ length: n }, (_, s) => s % 4);
      const want = axes.reduce((s, j) => s + (a[j]! - w[j]!) ** 2, 0) / n;
      const beta = axes.reduce((s, j) => s + a[j]! * w[j]!, 0) / axes.reduce((s, j) => s + a[j]! ** 2, 0);
      const wantNorm = axes.reduce((s, j) => s + (beta * a[j]! - w[j]!) ** 2, 0) / n;
      expect(Math.abs(got[r]! - want) / want).toBeLessThan(1e-5);
      expect(Math.abs(gotNorm[r]! - wantNorm) / wantNorm).toBeLessThan(1e-4);
    }
  });

  it('matches a sample-by-sample reference on the MLP, whatever the batching, and normalisation removes the scale', async () => {
    const x = float32([2, 8], Array.from({ length: 16 }, (_, i) => Math.sin(i + 1)));
    const target = [2, 1];
    const attr = await gradient(mlp, x, target);
    const n = 7;
    const got = await infidelity(mlp, x, attr, { target, nPerturbSamples: n, perturbFunc: gaussianPerturbation({ stdev: 0.2 }), seed: 3 });
    // Reference: the same noise (drawn in the same order), one forward run per perturbed row.
    const random = new Random(3);
    const noise = Array.from({ length: 2 * n * 8 }, () => 0.2 * random.normal());
    const fx = Explainable.select(await mlp.forward(x), target);
    for (let r = 0; r < 2; r++) {
      let sum = 0;
      for (let s = 0; s < n; s++) {
        const I = noise.slice((r * n + s) * 8, (r * n + s + 1) * 8);
        const perturbed = float32([1, 8], row(x, r).map((v, i) => v - I[i]!));
        const fp = Explainable.select(await mlp.forward(perturbed), target[r]!)[0]!;
        const dot = row(attr, r).reduce((acc, a, i) => acc + a * Math.fround(row(x, r)[i]! - Math.fround(row(x, r)[i]! - I[i]!)), 0);
        sum += (dot - (fx[r]! - fp)) ** 2;
      }
      expect(Math.abs(got[r]! - sum / n) / (sum / n)).toBeLessThan(1e-4);
    }
    // A fixed attribution, and perturbations large enough to cross ReLU kinks (for gradients of
    // this piecewise-linear MLP, small perturbations give an infidelity of 0).
    const fixed = float32([2, 8], Array.from({ length: 16 }, (_, i) => Math.cos(3 * i)));
    const deterministic = () => ({ target, nPerturbSamples: n, perturbFunc: axisPerturbation(3) });
    const whole = await infidelity(mlp, x, fixed, deterministic());
    const chunked = await infidelity(mlp, x, fixed, { ...deterministic(), maxExamplesPerBatch: 4, internalBatchSize: 3 });
    for (let r = 0; r < 2; r++) {
      expect(whole[r]!).toBeGreaterThan(0.01);
      expect(Math.abs(chunked[r]! - whole[r]!) / whole[r]!).toBeLessThan(1e-6);
    }
    const scaled = new Tensor('float32', fixed.shape, (fixed.data as Float32Array).map((v) => 5 * v));
    const norm = await infidelity(mlp, x, fixed, { ...deterministic(), normalize: true });
    const normScaled = await infidelity(mlp, x, scaled, { ...deterministic(), normalize: true });
    const plainScaled = await infidelity(mlp, x, scaled, deterministic());
    for (let r = 0; r < 2; r++) {
      expect(Math.abs(norm[r]! - normScaled[r]!) / norm[r]!).toBeLessThan(1e-5);
      expect(norm[r]!).toBeLessThanOrEqual(whole[r]! * (1 + 1e-9));
      expect(plainScaled[r]!).not.toBeCloseTo(whole[r]!, 3);
    }
  });

  it('defaults to Gaussian perturbations of standard deviation 0.003 (Captum\'s documented example)', async () => {
    const seen: Tensor[] = [];
    const inner = gaussianPerturbation();
    const perturbFunc: InfidelityPerturbFunc = async (inputs, context) => {
      const result = await inner(inputs, context);
      seen.push(result.perturbations);
      return result;
    };
    await infidelity(linear, X, X, { target: 0, perturbFunc, nPerturbSamples: 200 });
    const noise = Array.from(seen[0]!.data as Float32Array);
    expect(noise).toHaveLength(2 * 200 * 4);
    const std = Math.sqrt(noise.reduce((s, v) => s + v * v, 0) / noise.length);
    expect(Math.abs(std - 0.003) / 0.003).toBeLessThan(0.05);
  });

  it('is reproducible with a seed and differs between seeds', async () => {
    const x = float32([2, 8], Array.from({ length: 16 }, (_, i) => Math.cos(i)));
    const attr = await gradient(mlp, x, 0);
    const run = (seed: number) => infidelity(mlp, x, attr, { target: 0, perturbFunc: gaussianPerturbation({ stdev: 0.3 }), seed });
    expect(await run(5)).toEqual(await run(5));
    expect(await run(5)).not.toEqual(await run(6));
  });

  it('refuses bad perturbations, sample counts and shapes with one-line errors', async () => {
    const attr = await gradient(linear, X, 0);
    const short: InfidelityPerturbFunc = (inputs) => ({ perturbations: inputs.sliceBatch(0, 1), perturbed: inputs });
    await expect(infidelity(linear, X, attr, { target: 0, perturbFunc: short })).rejects.toThrow(/perturbation function must return .* shaped like its input \[20, 4\]; its perturbations are \[1, 4\]/);
    const wrong = infidelityPerturbFuncDecorator(false)(() => Tensor.float32([3, 4]));
    await expect(infidelity(linear, X, attr, { target: 0, perturbFunc: wrong })).rejects.toThrow(/returned shape \[3, 4\] for inputs of shape \[20, 4\]/);
    await expect(infidelity(linear, X, attr, { target: 0, nPerturbSamples: 0 })).rejects.toThrow(/nPerturbSamples must be a positive integer, got 0/);
    await expect(infidelity(linear, X, attr.sliceBatch(0, 1), { target: 0 })).rejects.toThrow(/attributions of shape \[1, 4\] do not match the input's shape \[2, 4\]/);
    await expect(infidelity(linear, X, attr, { target: 5 })).rejects.toThrow(/target 5 is out of range/);
  });
});
