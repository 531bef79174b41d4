import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explainable } from '../../../../src/attribution/explainable.js';
import { FeatureAblation, KernelShap, Lime, Occlusion, ShapleyValueSampling } from '../../../../src/attribution/perturbation/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { allPermutations, C, tinyF, tinyModel, W } from './models.js';

const X = [[1, 2, -1, 0.5], [-0.5, 1.5, 2, -2]];
const B = [0.2, -0.4, 0.1, 1];
const input = Tensor.float32([2, 4], X.flat());
const baselines = Tensor.float32([4], B);
const TARGETS = [0, 1];

/** max |a − b| over two flat lists. */
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
/** The linear model's attributions w_i (x_i − b_i), row r with its target. */
const linear = (rows = X, targets = TARGETS): number[] => rows.flatMap((x, r) => x.map((v, i) => W[i]![targets[r]!]! * (v - B[i]!)));
/** Exact Shapley values of the interaction model: the linear part plus half the interaction each (baseline b). */
const shapley = (rows = X, targets = TARGETS): number[] => rows.flatMap((x, r) => {
  const c = C[targets[r]!]!;
  return x.map((v, i) => W[i]![targets[r]!]! * (v - B[i]!) + (i === 0 ? (c / 2) * (x[0]! - B[0]!) * (x[1]! + B[1]!) : i === 1 ? (c / 2) * (x[1]! - B[1]!) * (x[0]! + B[0]!) : 0));
});
const rowSums = (t: Tensor): number[] => [0, 1].map((r) => Array.from(t.data as Float32Array).slice(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0));

let plain: Explainable;
let interacting: Explainable;
beforeAll(async () => {
  plain = await tinyModel();
  interacting = await tinyModel({ interaction: true });
});
afterAll(async () => {
  await plain.release();
  await interacting.release();
});

describe('closed forms on a linear model', () => {
  it('Occlusion with 1-wide windows and FeatureAblation give w_i (x_i − b_i), targets per row', async () => {
    const occlusion = await new Occlusion(plain).attribute(input, { target: TARGETS, slidingWindowShapes: [1], baselines });
    expect(occlusion.attributions.shape).toEqual([2, 4]);
    expect(maxDiff(occlusion.attributions.data as Float32Array, linear())).toBeLessThan(1e-5);
    const ablation = await new FeatureAblation(plain).attribute(input, { target: TARGETS, baselines });
    expect(maxDiff(ablation.attributions.data as Float32Array, linear())).toBeLessThan(1e-5);
  });

  it('Occlusion averages overlapping windows: a window of 2 with stride 1', async () => {
    // Windows [0,1], [1,2], [2,3]: element 1 is the mean of the first two windows' drops.
    const { attributions } = await new Occlusion(plain).attribute(input, { target: 0, slidingWindowShapes: [2], strides: 1, baselines });
    const d = X[0]!.map((v, i) => W[i]![0]! * (v - B[i]!));
    const want = [d[0]! + d[1]!, (d[0]! + 2 * d[1]! + d[2]!) / 2, (d[1]! + 2 * d[2]! + d[3]!) / 2, d[2]! + d[3]!];
    expect(maxDiff((attributions.data as Float32Array).subarray(0, 4), want)).toBeLessThan(1e-5);
  });

  it('Occlusion cuts the last window at the edge: width 3, stride 2 on 4 elements', async () => {
    // Windows start at 0 and 2 (ceil((4 − 3) / 2) + 1 = 2 of them); the second covers [2, 4) only.
    const { attributions } = await new Occlusion(plain).attribute(input, { target: 1, slidingWindowShapes: [3], strides: 2, baselines: 0 });
    const d = X[0]!.map((v, i) => W[i]![1]! * v);
    const first = d[0]! + d[1]! + d[2]!;
    const second = d[2]! + d[3]!;
    expect(maxDiff((attributions.data as Float32Array).subarray(0, 4), [first, first, (first + second) / 2, second])).toBeLessThan(1e-5);
  });

  it('FeatureAblation with a group mask credits each group its joint drop; ids need not start at 0', async () => {
    const featureMask = Tensor.int64([4], [3, 3, 5, 3]);
    const { attributions } = await new FeatureAblation(plain).attribute(input, { target: 0, featureMask, baselines });
    const d = X.map((x) => x.map((v, i) => W[i]![0]! * (v - B[i]!)));
    const want = d.flatMap((row) => [row[0]! + row[1]! + row[3]!, row[0]! + row[1]! + row[3]!, row[2]!, row[0]! + row[1]! + row[3]!]);
    expect(maxDiff(attributions.data as Float32Array, want)).toBeLessThan(1e-5);
  });

  it('FeatureAblation takes one mask per row', async () => {
    const featureMask = new Tensor('int32', [2, 4], Int32Array.from([0, 0, 1, 1, 0, 1, 0, 1]));
    const { attributions } = await new FeatureAblation(plain).attribute(input, { target: 1, featureMask, baselines });
    const d = X.map((x) => x.map((v, i) => W[i]![1]! * (v - B[i]!)));
    const want = [d[0]![0]! + d[0]![1]!, d[0]![0]! + d[0]![1]!, d[0]![2]! + d[0]![3]!, d[0]![2]! + d[0]![3]!,
      d[1]![0]! + d[1]![2]!, d[1]![1]! + d[1]![3]!, d[1]![0]! + d[1]![2]!, d[1]![1]! + d[1]![3]!];
    expect(maxDiff(attributions.data as Float32Array, want)).toBeLessThan(1e-5);
  });

  it('ShapleyValueSampling is exact for a linear model, whatever the orders', async () => {
    const { attributions } = await new ShapleyValueSampling(plain).attribute(input, { target: TARGETS, baselines, nSamples: 3, seed: 11 });
    expect(maxDiff(attributions.data as Float32Array, linear())).toBeLessThan(1e-5);
  });

  it('KernelShap is exact for a linear model (any samples of full rank)', async () => {
    const { attributions } = await new KernelShap(plain).attribute(input, { target: TARGETS, baselines, nSamples: 40, seed: 3 });
    expect(maxDiff(attributions.data as Float32Array, linear())).toBeLessThan(1e-4);
  });
});

describe('Shapley values with an interaction x0·x1', () => {
  it('ShapleyValueSampling over all 24 orders splits the interaction equally and sums to F(x) − F(b)', async () => {
    const { attributions } = await new ShapleyValueSampling(interacting).attribute(input, { target: TARGETS, baselines, permutations: allPermutations(4) });
    expect(maxDiff(attributions.data as Float32Array, shapley())).toBeLessThan(1e-5);
    // With baseline 0 the two players get c·x0·x1 / 2 each.
    const zero = await new ShapleyValueSampling(interacting).attribute(input, { target: 0, permutations: allPermutations(4) });
    const a = zero.attributions.data as Float32Array;
    expect(a[0]! - W[0]![0]! * X[0]![0]!).toBeCloseTo((C[0]! * X[0]![0]! * X[0]![1]!) / 2, 5);
    expect(a[1]! - W[1]![0]! * X[0]![1]!).toBeCloseTo((C[0]! * X[0]![0]! * X[0]![1]!) / 2, 5);
  });

  it('sampled orders: efficiency holds exactly for every seed; the estimate approaches the Shapley values', async () => {
    const method = new ShapleyValueSampling(interacting);
    const gaps = X.map((x, r) => tinyF(x, TARGETS[r]!, true) - tinyF(B, TARGETS[r]!, true));
    for (const seed of [1, 2]) {
      const { attributions } = await method.attribute(input, { target: TARGETS, baselines, nSamples: 5, seed });
      expect(maxDiff(rowSums(attributions), gaps)).toBeLessThan(1e-5);
    }
    // Feature 0's marginal is one of two values 1.92 apart (row 0): the mean of 2000 orders has a
    // standard error of about 0.04.
    const many = await method.attribute(input, { target: TARGETS, baselines, nSamples: 2000, seed: 5 });
    expect(maxDiff(many.attributions.data as Float32Array, shapley())).toBeLessThan(0.2);
    // The same seed gives the same orders.
    const again = await method.attribute(input, { target: TARGETS, baselines, nSamples: 5, seed: 1 });
    const once = await method.attribute(input, { target: TARGETS, baselines, nSamples: 5, seed: 1 });
    expect(Array.from(again.attributions.data as Float32Array)).toEqual(Array.from(once.attributions.data as Float32Array));
  });

  it('KernelShap with samples in proportion to the Shapley kernel gives the Shapley values (group mask, 3 features)', async () => {
    // Features {x0}, {x1}, {x2, x3}: with M = 3 the kernel weighs all six proper coalitions alike.
    const featureMask = new Tensor('int32', [1, 4], Int32Array.from([0, 1, 2, 2]));
    const samples = Tensor.float32([8, 3], [1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1]);
    const { attributions } = await new KernelShap(interacting).attribute(input, { target: TARGETS, baselines, featureMask, samples });
    const exact = shapley();
    const want = [0, 1].flatMap((r) => {
      const e = exact.slice(r * 4, r * 4 + 4);
      return [e[0]!, e[1]!, e[2]! + e[3]!, e[2]! + e[3]!];
    });
    expect(maxDiff(attributions.data as Float32Array, want)).toBeLessThan(1e-4);
  });

  it('KernelShap: coefficients over the features sum to about F(x) − F(b)', async () => {
    const { attributions } = await new KernelShap(interacting).attribute(input, { target: TARGETS, baselines, nSamples: 30, seed: 9 });
    const gaps = X.map((x, r) => tinyF(x, TARGETS[r]!, true) - tinyF(B, TARGETS[r]!, true));
    expect(maxDiff(rowSums(attributions), gaps)).toBeLessThan(1e-3);
  });
});

describe('Lime', () => {
  it('fits the default Lasso to the kernel-weighted samples (same numbers as by hand)', async () => {
    const { fitLasso } = await import('../../../../src/attribution/perturbation/linear-model.js');
    const samples = Tensor.float32([6, 4], [1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1]);
    const { attributions } = await new Lime(interacting).attribute(input, { target: TARGETS, baselines, samples });
    for (let r = 0; r < 2; r++) {
      const z = Array.from({ length: 6 }, (_, s) => Array.from(samples.data as Float32Array).slice(s * 4, s * 4 + 4));
      const points = z.map((bits) => bits.map((on, i) => (on ? X[r]![i]! : B[i]!)));
      const y = points.map((p) => tinyF(p, TARGETS[r]!, true));
      const cos = points.map((p) => {
        const dot = p.reduce((s, v, i) => s + v * X[r]![i]!, 0);
        return dot / (Math.hypot(...p) * Math.hypot(...X[r]!));
      });
      const w = cos.map((c) => Math.exp(-((1 - c) ** 2) / 2));
      const { coef } = fitLasso({ x: Float64Array.from(z.flat()), n: 6, m: 4 }, y, w, 0.01);
      expect(maxDiff((attributions.data as Float32Array).subarray(r * 4, r * 4 + 4), coef)).toBeLessThan(1e-5);
    }
  });

  it('recovers a linear model up to the Lasso shrinkage, reproducibly by seed', async () => {
    const lime = new Lime(plain);
    const one = await lime.attribute(input, { target: TARGETS, baselines, nSamples: 200, seed: 4 });
    expect(maxDiff(one.attributions.data as Float32Array, linear())).toBeLessThan(0.15);
    const two = await lime.attribute(input, { target: TARGETS, baselines, nSamples: 200, seed: 4 });
    expect(Array.from(two.attributions.data as Float32Array)).toEqual(Array.from(one.attributions.data as Float32Array));
  });
});
