import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explainable } from '../../../../src/attribution/explainable.js';
import { Deconvolution, GuidedBackprop, InputXGradient, Saliency } from '../../../../src/attribution/gradient/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { maxAbsDiff, relError } from '../../../helpers/compare.js';
import { hiddenOf, netModel, randomNet, randomTensor, rowsOf, type Net } from './models.js';

/** Σ_j W₁[i][j] · back(j) for each input i: a gradient through the hidden layer. */
function through(net: Net, back: (j: number) => number): number[] {
  return net.w1.map((row) => row.reduce((s, w, j) => s + w * back(j), 0));
}

describe('Saliency, InputXGradient, GuidedBackprop, Deconvolution on a ReLU network', () => {
  const net = randomNet('Relu', 5, 8, 3, 1);
  const x = randomTensor([4, 5], new Random(2));
  const targets = [0, 2, 1, 2];
  let model: Explainable;
  beforeAll(async () => { model = await netModel(net); });
  afterAll(async () => { await model.release(); });

  /** Per row, the closed form `back(h, j)` pushed through W₁. */
  const expected = (back: (h: number[], j: number, t: number) => number): Tensor =>
    Tensor.float32(x.shape, rowsOf(x).flatMap((row, r) => {
      const h = hiddenOf(net, row);
      return through(net, (j) => back(h, j, targets[r]!));
    }));
  const gradient = expected((h, j, t) => (h[j]! > 0 ? net.w2[j]![t]! : 0));

  it('Saliency is |∂F/∂x| by default and the signed gradient with abs: false', async () => {
    const signed = await new Saliency(model).attribute(x, { target: targets, abs: false });
    expect(relError(signed.attributions, gradient)).toBeLessThan(1e-5);
    const abs = await new Saliency(model).attribute(x, { target: targets });
    expect(maxAbsDiff(abs.attributions, Tensor.float32(x.shape, gradient.toNumbers().map(Math.abs)))).toBeLessThan(1e-5);
    expect(abs.delta).toBeUndefined();
  });

  it('InputXGradient is x · ∂F/∂x', async () => {
    const { attributions } = await new InputXGradient(model).attribute(x, { target: targets });
    const want = Tensor.float32(x.shape, gradient.toNumbers().map((g, i) => g * x.data[i]!));
    expect(relError(attributions, want)).toBeLessThan(1e-5);
  });

  it('GuidedBackprop passes only positive gradients through positive inputs', async () => {
    const { attributions } = await new GuidedBackprop(model).attribute(x, { target: targets });
    const want = expected((h, j, t) => (h[j]! > 0 ? Math.max(0, net.w2[j]![t]!) : 0));
    expect(relError(attributions, want)).toBeLessThan(1e-5);
    expect(relError(attributions, gradient)).toBeGreaterThan(0.01); // it is not the plain gradient
  });

  it('Deconvolution passes the positive part of the gradient whatever the input', async () => {
    const { attributions } = await new Deconvolution(model).attribute(x, { target: targets });
    const want = expected((_h, j, t) => Math.max(0, net.w2[j]![t]!));
    expect(relError(attributions, want)).toBeLessThan(1e-5);
  });

  it('gives the same numbers one row per run and all rows at once', async () => {
    for (const method of [new Saliency(model), new GuidedBackprop(model), new Deconvolution(model)]) {
      const one = await method.attribute(x, { target: targets, internalBatchSize: 1 });
      const all = await method.attribute(x, { target: targets });
      expect(maxAbsDiff(one.attributions, all.attributions)).toBeLessThan(1e-6);
    }
  });

  it('refuses targets out of range or of the wrong count with one-line errors', async () => {
    await expect(new Saliency(model).attribute(x, { target: 3 })).rejects.toThrow(/^target 3 is out of range .*: 0\.\.2\)/);
    await expect(new GuidedBackprop(model).attribute(x, { target: [0, 1] })).rejects.toMatchObject({ code: 'bad-target', message: '2 targets given for 4 input rows (give one target, or one per row)' });
    await expect(new InputXGradient(model).attribute(x)).rejects.toThrow(/give a target class/);
  });
});
