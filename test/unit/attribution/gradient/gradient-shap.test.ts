import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { GradientShap } from '../../../../src/attribution/gradient/index.js';
import { rowSums } from '../../../../src/attribution/util/tensor-ops.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { maxAbsDiff, relError } from '../../../helpers/compare.js';
import { fixture, hiddenOf, linearModel, netModel, randomNet, randomTensor, rowsOf } from './models.js';

describe('GradientShap', () => {
  it('follows the given draws: mean over samples of (x + ε − b) · ∇F(α(x + ε) + (1 − α)b)', async () => {
    const net = randomNet('Relu', 3, 5, 2, 61);
    const model = await netModel(net);
    const random = new Random(62);
    const x = randomTensor([2, 3], random);
    const set = randomTensor([3, 3], random);
    const draws = { baselineIndex: [2, 0, 1, 1, 0, 2], alpha: [0.1, 0.5, 0.9, 0.3, 0.7, 0.2], noise: randomTensor([6, 3], random, 0.2) };
    const targets = [1, 0];
    const { attributions, delta } = await new GradientShap(model).attribute(x, { target: targets, baselines: set, nSamples: 3, draws, returnConvergenceDelta: true });
    const [xs, bs, ns] = [rowsOf(x), rowsOf(set), rowsOf(draws.noise)];
    const want = xs.flatMap((row, r) => {
      const samples = [0, 1, 2].map((k) => {
        const s = r * 3 + k;
        const noisy = row.map((v, i) => v + ns[s]![i]!);
        const b = bs[draws.baselineIndex[s]!]!;
        const point = noisy.map((v, i) => draws.alpha[s]! * v + (1 - draws.alpha[s]!) * b[i]!);
        const h = hiddenOf(net, point);
        const grad = net.w1.map((w) => w.reduce((acc, wij, j) => acc + (h[j]! > 0 ? wij * net.w2[j]![targets[r]!]! : 0), 0));
        return noisy.map((v, i) => (v - b[i]!) * grad[i]!);
      });
      return row.map((_, i) => samples.reduce((acc, a) => acc + a[i]!, 0) / 3);
    });
    expect(relError(attributions, Tensor.float32([2, 3], want))).toBeLessThan(1e-5);
    // One delta per sample (rows × nSamples), as Captum returns them.
    expect(delta).toHaveLength(6);
    await model.release();
  });

  it('is exact on a linear model: every sample\'s delta is zero', async () => {
    const random = new Random(63);
    const model = await linearModel([[1, -2], [0.5, 3], [2, 1]], [0.1, 0.2]);
    const x = randomTensor([2, 3], random);
    const set = randomTensor([4, 3], random);
    const { delta } = await new GradientShap(model).attribute(x, { target: 1, baselines: set, nSamples: 6, stdevs: 0.3, seed: 4, returnConvergenceDelta: true });
    expect(delta).toHaveLength(12);
    expect(Math.max(...Array.from(delta!, Math.abs))).toBeLessThan(1e-5);
    await model.release();
  });

  it('is efficient in expectation on the mlp fixture: Σ attributions → F(x) − E_b F(b)', async () => {
    const { model, inputs, target } = await fixture('mlp');
    const x = inputs.input!;
    const set = randomTensor([5, 8], new Random(64), 1.5);
    const { attributions } = await new GradientShap(model).attribute(x, { target, baselines: set, nSamples: 4000, seed: 3 });
    const fx = Explainable.select(await model.forward(x), target);
    const fb = Explainable.select(await model.forward(set), target);
    const expected = Array.from(fx, (v) => v - fb.reduce((a, b) => a + b, 0) / 5);
    const sums = rowSums(attributions);
    // Measured (seed 3): 1.3% and 0.5% of |F(x) − E F(b)|; other seeds up to 1.6%, and 5–9% with
    // 100 samples: the Monte Carlo error, shrinking as 1/√nSamples.
    sums.forEach((s, r) => expect(Math.abs(s - expected[r]!) / Math.abs(expected[r]!)).toBeLessThan(0.03));
    await model.release();
  });

  it('is seedable and checks the given draws', async () => {
    const model = await netModel(randomNet('Tanh', 3, 5, 2, 65));
    const x = randomTensor([1, 3], new Random(66));
    const set = randomTensor([2, 3], new Random(67));
    const gs = new GradientShap(model);
    const [a, b] = [await gs.attribute(x, { target: 0, baselines: set, stdevs: 0.1, seed: 9 }), await gs.attribute(x, { target: 0, baselines: set, stdevs: 0.1, seed: 9 })];
    expect(maxAbsDiff(a.attributions, b.attributions)).toBe(0);
    await expect(gs.attribute(x, { target: 0, baselines: set, nSamples: 2, draws: { baselineIndex: [0], alpha: [0.5] } })).rejects.toThrow(/^draws must give 2 baseline indices and alphas/);
    await expect(gs.attribute(x, { target: 0, baselines: set, nSamples: 1, draws: { baselineIndex: [2], alpha: [0.5] } })).rejects.toThrow(/baseline index 2 is out of range \(the set has 2 baselines\)/);
    await expect(gs.attribute(x, { target: 0, baselines: Tensor.float32([2, 4]) })).rejects.toMatchObject({ code: 'bad-baseline' });
    await expect(gs.attribute(x, { target: 5, baselines: set })).rejects.toThrow(/^target 5 is out of range/);
    await model.release();
  });
});
