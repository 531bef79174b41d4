import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { IntegratedGradients } from '../../../../src/attribution/gradient/index.js';
import { INTEGRATION_METHODS, quadrature } from '../../../../src/attribution/util/quadrature.js';
import { rowSums } from '../../../../src/attribution/util/tensor-ops.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { maxAbsDiff, relError } from '../../../helpers/compare.js';
import { fixture, linearModel, randomMatrix, randomTensor } from './models.js';

/** max over rows of |delta| / |F(x) − F(x′)|. */
async function completenessError(model: Explainable, x: Tensor, baseline: Tensor, target: number, delta: Float64Array, extra = {}): Promise<number> {
  const fx = Explainable.select(await model.forward(x, extra), target);
  const fb = Explainable.select(await model.forward(baseline, extra), target);
  return Math.max(...Array.from(delta, (d, r) => Math.abs(d) / Math.abs(fx[r]! - fb[r]!)));
}

describe('IntegratedGradients', () => {
  it('is (x − x′) · w on a linear model, scaled by Σ weights (Captum\'s trapezoid sums to (n − 1)/n)', async () => {
    const random = new Random(3);
    const w = randomMatrix(4, 3, random);
    const model = await linearModel(w, [0.5, -1, 2]);
    const x = randomTensor([2, 4], random);
    const baseline = randomTensor([1, 4], random);
    for (const method of INTEGRATION_METHODS) {
      const { attributions, delta } = await new IntegratedGradients(model).attribute(x, { target: [1, 2], baselines: baseline, nSteps: 7, method, returnConvergenceDelta: true });
      const scale = quadrature(method, 7).weights.reduce((a, b) => a + b, 0);
      const want = Tensor.float32([2, 4], Array.from({ length: 8 }, (_, i) => scale * (x.data[i]! - baseline.data[i % 4]!) * w[i % 4]![i < 4 ? 1 : 2]!));
      expect(relError(attributions, want), method).toBeLessThan(1e-5);
      if (method !== 'riemann_trapezoid') expect(Math.max(...Array.from(delta!, Math.abs)), method).toBeLessThan(1e-5);
    }
    await model.release();
  });

  it('is complete on the mlp fixture (Tanh, GELU): Σ attributions ≈ F(x) − F(x′) with 50 Gauss–Legendre steps', async () => {
    const { model, inputs, target } = await fixture('mlp');
    const x = inputs.input!;
    const baseline = randomTensor(x.shape as number[], new Random(5), 0.5);
    const { attributions, delta } = await new IntegratedGradients(model).attribute(x, { target, baselines: baseline, returnConvergenceDelta: true });
    expect(attributions.shape).toEqual(x.shape);
    expect(attributions.dtype).toBe('float32');
    expect(delta).toHaveLength(2);
    // Measured: 1e-7 relative (the quadrature is exact to float32 on this smooth model).
    expect(await completenessError(model, x, baseline, target, delta!)).toBeLessThan(1e-5);
    // The delta is the completeness gap itself.
    const fx = Explainable.select(await model.forward(x), target);
    const fb = Explainable.select(await model.forward(baseline), target);
    rowSums(attributions).forEach((s, r) => expect(s - (fx[r]! - fb[r]!)).toBeCloseTo(delta![r]!, 6));
    await model.release();
  });

  it('is nearly complete on the cnn_bn fixture (ReLU kinks, MaxPool) and converges with more steps', async () => {
    const { model, inputs, target } = await fixture('cnn_bn');
    const x = inputs.input!;
    const baseline = randomTensor(x.shape as number[], new Random(7));
    const ig = new IntegratedGradients(model);
    const coarse = await ig.attribute(x, { target, baselines: baseline, nSteps: 20, returnConvergenceDelta: true });
    const fine = await ig.attribute(x, { target, baselines: baseline, nSteps: 200, returnConvergenceDelta: true });
    const [e20, e200] = [await completenessError(model, x, baseline, target, coarse.delta!), await completenessError(model, x, baseline, target, fine.delta!)];
    // Measured: 20 steps 0.16, 200 steps 0.017 (|F(x) − F(x′)| is only ~0.01 on this model).
    expect(e200).toBeLessThan(0.05);
    expect(e200).toBeLessThan(e20 / 3);
    await model.release();
  });

  it('is complete on a Transformer cut at its embeddings, with the token ids as an extra input', async () => {
    const { model, inputs, target } = await fixture('transformer', '/Add_output_0');
    const extra = { input_ids: inputs.input_ids! };
    const x = await model.inputFrom(extra);
    const zeros = Tensor.float32(x.shape);
    const { attributions, delta } = await new IntegratedGradients(model).attribute(x, { target, additionalForwardArgs: extra, returnConvergenceDelta: true });
    expect(attributions.shape).toEqual([2, 7, 32]);
    // Measured: 1.2e-7.
    expect(await completenessError(model, x, zeros, target, delta!, extra)).toBeLessThan(1e-5);
    await model.release();
  });

  it('gives the same numbers one row per run and in large runs', async () => {
    const { model, inputs, target } = await fixture('cnn_bn');
    const x = inputs.input!;
    const ig = new IntegratedGradients(model);
    const small = await ig.attribute(x, { target: [target, 1], nSteps: 8, internalBatchSize: 1, returnConvergenceDelta: true });
    const large = await ig.attribute(x, { target: [target, 1], nSteps: 8, internalBatchSize: 1000, returnConvergenceDelta: true });
    expect(relError(small.attributions, large.attributions)).toBeLessThan(1e-6);
    small.delta!.forEach((d, r) => expect(d).toBeCloseTo(large.delta![r]!, 5));
    const progress: number[] = [];
    await ig.attribute(x, { target, nSteps: 3, internalBatchSize: 4, onProgress: (done, total) => progress.push(done / total) });
    expect(progress.at(-1)).toBe(1);
    await model.release();
  });

  it('returns the integrated gradient alone with multiplyByInputs: false', async () => {
    const w = [[2], [-3]];
    const model = await linearModel(w, [0]);
    const { attributions } = await new IntegratedGradients(model, { multiplyByInputs: false }).attribute(Tensor.float32([1, 2], [5, 7]), { baselines: 1 });
    expect(maxAbsDiff(attributions, Tensor.float32([1, 2], [2, -3]))).toBeLessThan(1e-6);
    await model.release();
  });

  it('refuses a baseline of the wrong shape, a bad target and a bad method with one-line errors', async () => {
    const model = await linearModel([[1, 2], [3, 4], [5, 6]], [0, 0]);
    const x = Tensor.float32([2, 3]);
    const ig = new IntegratedGradients(model);
    await expect(ig.attribute(x, { target: 0, baselines: Tensor.float32([2, 4]) })).rejects.toMatchObject({ code: 'bad-baseline', message: expect.stringMatching(/^the baseline has shape \[2, 4\] but the input has shape \[2, 3\]/) });
    await expect(ig.attribute(x, { target: 2 })).rejects.toMatchObject({ code: 'bad-target' });
    await expect(ig.attribute(x, { target: 0, method: 'simpson' as never })).rejects.toThrow(/unknown integration method "simpson"/);
    await model.release();
  });
});
