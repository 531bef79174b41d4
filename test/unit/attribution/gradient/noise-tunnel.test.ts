import { describe, expect, it } from 'vitest';
import { InputXGradient, IntegratedGradients, NoiseTunnel, Saliency } from '../../../../src/attribution/gradient/index.js';
import { add } from '../../../../src/attribution/util/tensor-ops.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { maxAbsDiff, relError } from '../../../helpers/compare.js';
import { fixture, linearModel, netModel, randomNet, randomTensor } from './models.js';

describe('NoiseTunnel', () => {
  it('combines the attributions of the given noisy samples: mean, mean of squares, variance', async () => {
    const model = await netModel(randomNet('Relu', 4, 6, 3, 51));
    const random = new Random(52);
    const x = randomTensor([2, 4], random);
    const noise = [0, 1, 2].map(() => randomTensor([2, 4], random, 0.7));
    const ixg = new InputXGradient(model);
    const samples = await Promise.all(noise.map(async (n) => (await ixg.attribute(add(x, n), { target: [1, 2] })).attributions.toNumbers()));
    const mean = samples[0]!.map((_, i) => samples.reduce((s, a) => s + a[i]!, 0) / 3);
    const meanSq = samples[0]!.map((_, i) => samples.reduce((s, a) => s + a[i]! ** 2, 0) / 3);
    const want = { smoothgrad: mean, smoothgrad_sq: meanSq, vargrad: meanSq.map((v, i) => v - mean[i]! ** 2) };
    for (const ntType of ['smoothgrad', 'smoothgrad_sq', 'vargrad'] as const) {
      const { attributions } = await new NoiseTunnel(ixg).attribute(x, { ntType, nSamples: 3, noise, target: [1, 2] });
      expect(attributions.shape).toEqual([2, 4]);
      expect(maxAbsDiff(attributions, Tensor.float32([2, 4], want[ntType])), ntType).toBeLessThan(1e-5);
    }
    await model.release();
  });

  it('adds noise of standard deviation `stdevs` (absolute, as in Captum)', async () => {
    const w = [[2], [-1], [0.5]];
    const model = await linearModel(w, [0]);
    const x = Tensor.float32([1, 3], [1, 2, 3]);
    const nt = new NoiseTunnel(new InputXGradient(model));
    // InputXGradient of a linear model is (x + ε)·w: its variance over samples is stdevs² · w².
    const { attributions } = await nt.attribute(x, { ntType: 'vargrad', nSamples: 4000, stdevs: 0.5, seed: 1 });
    attributions.toNumbers().forEach((v, i) => expect(v / (0.25 * w[i]![0]! ** 2)).toBeCloseTo(1, 1));
    const mean = await nt.attribute(x, { nSamples: 4000, stdevs: 0.5, seed: 1 });
    mean.attributions.toNumbers().forEach((v, i) => expect(v).toBeCloseTo(x.data[i]! * w[i]![0]!, 1));
    await model.release();
  });

  it('is seedable: the same seed gives the same numbers, another seed others', async () => {
    const model = await netModel(randomNet('Tanh', 4, 6, 3, 53));
    const x = randomTensor([2, 4], new Random(54));
    const nt = new NoiseTunnel(new Saliency(model));
    const a = await nt.attribute(x, { target: 0, stdevs: 0.3, seed: 7 });
    const b = await nt.attribute(x, { target: 0, stdevs: 0.3, seed: 7 });
    const c = await nt.attribute(x, { target: 0, stdevs: 0.3, seed: 8 });
    expect(maxAbsDiff(a.attributions, b.attributions)).toBe(0);
    expect(maxAbsDiff(a.attributions, c.attributions)).toBeGreaterThan(1e-4);
    await model.release();
  });

  it('expands per-row targets, baselines and extra inputs per sample, and passes the inner deltas through', async () => {
    const { model, inputs, target } = await fixture('transformer', '/Add_output_0');
    const extra = { input_ids: inputs.input_ids! };
    const x = await model.inputFrom(extra);
    const baselines = randomTensor(x.shape as number[], new Random(55), 0.1);
    const ig = new IntegratedGradients(model);
    const options = { target: [target, 1 - target], baselines, nSteps: 8, additionalForwardArgs: extra, returnConvergenceDelta: true };
    const direct = await ig.attribute(x, options);
    const tunnel = await new NoiseTunnel(ig).attribute(x, { ...options, nSamples: 2, stdevs: 0 });
    expect(relError(tunnel.attributions, direct.attributions)).toBeLessThan(1e-5);
    // One delta per noisy row (rows × nSamples, row-major), as Captum returns them.
    expect(Array.from(tunnel.delta!)).toHaveLength(4);
    [0, 1, 2, 3].forEach((i) => expect(tunnel.delta![i]!).toBeCloseTo(direct.delta![Math.floor(i / 2)]!, 5));
    await model.release();
  });

  it('draws a baseline per noisy row from the set with drawBaselineFromDistrib', async () => {
    const w = [[1, 0], [0, 1], [2, -1]];
    const model = await linearModel(w, [0, 0]);
    const x = Tensor.float32([1, 3], [1, 1, 1]);
    const set = Tensor.float32([2, 3], [0, 0, 0, 2, 4, 6]);
    const { attributions } = await new NoiseTunnel(new IntegratedGradients(model)).attribute(x, { target: 0, baselines: set, drawBaselineFromDistrib: true, nSamples: 2000, stdevs: 0 });
    // IG of a linear model is (x − b)·w. With a share p of draws picking the second baseline,
    // feature 0 averages 1 − 2p and feature 2 averages 2 − 12p: one draw serves the whole row.
    const [a0, , a2] = attributions.toNumbers();
    const [p0, p2] = [(1 - a0!) / 2, (2 - a2!) / 12];
    expect(p0).toBeCloseTo(p2, 5);
    expect(Math.abs(p0 - 0.5)).toBeLessThan(0.05);
    await model.release();
  });

  it('refuses given noise of the wrong count or shape, and unknown types', async () => {
    const model = await linearModel([[1], [2]], [0]);
    const x = Tensor.float32([1, 2]);
    const nt = new NoiseTunnel(new Saliency(model));
    await expect(nt.attribute(x, { nSamples: 2, noise: [Tensor.float32([1, 2])] })).rejects.toThrow(/^1 noise tensors given for 2 samples/);
    await expect(nt.attribute(x, { nSamples: 1, noise: [Tensor.float32([2, 2])] })).rejects.toThrow(/noise tensor 0 has shape \[2, 2\] but the input has shape \[1, 2\]/);
    await expect(nt.attribute(x, { ntType: 'smooth' as never })).rejects.toThrow(/unknown noise tunnel type "smooth"/);
    await model.release();
  });
});
