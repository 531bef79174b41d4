/** The metrics with the library's own IntegratedGradients on the MLP fixture. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { IntegratedGradients } from '../../../../src/attribution/gradient/index.js';
import { deletionCurve, infidelity, infidelityPerturbFuncDecorator, insertionCurve, sensitivityMax } from '../../../../src/attribution/metrics/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { mlpModel } from './helpers.js';

describe('metrics with IntegratedGradients on the MLP fixture', () => {
  let mlp: Explainable;
  let ig: IntegratedGradients;
  const x = Tensor.float32([2, 8], Array.from({ length: 16 }, (_, i) => Math.sin(i + 1) * 2));
  const target = [2, 1];
  beforeAll(async () => {
    mlp = await mlpModel();
    ig = new IntegratedGradients(mlp);
  });
  afterAll(async () => {
    await mlp?.release();
  });

  it('infidelity of deleting every feature is the squared convergence delta (completeness)', async () => {
    // A coarse IG (3 right Riemann steps), so that the delta is far from 0.
    const { attributions, delta } = await ig.attribute(x, { target, nSteps: 3, method: 'riemann_right', returnConvergenceDelta: true });
    for (let r = 0; r < 2; r++) expect(Math.abs(delta![r]!)).toBeGreaterThan(1e-3);
    const all = infidelityPerturbFuncDecorator(true)((inputs) => Tensor.float32(inputs.shape));
    const value = await infidelity(mlp, x, attributions, { target, perturbFunc: all, baselines: 'zeros', nPerturbSamples: 2 });
    for (let r = 0; r < 2; r++) expect(Math.abs(value[r]! - delta![r]! ** 2)).toBeLessThan(1e-4 * delta![r]! ** 2);
  });

  it('sensitivity is 0 at radius 0 and small for IG at the default radius, with per-row targets expanded', async () => {
    expect([...await sensitivityMax(ig, x, { attributeOptions: { target }, perturbRadius: 0, nPerturbSamples: 2 })]).toEqual([0, 0]);
    const value = await sensitivityMax(ig, x, { attributeOptions: { target, nSteps: 20 }, nPerturbSamples: 4 });
    for (const v of value) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of value) expect(v).toBeLessThan(0.5);
  });

  it('IG orders features better than its reverse: lower deletion and higher insertion AUC', async () => {
    const { attributions } = await ig.attribute(x, { target });
    const reversed = new Tensor('float32', attributions.shape, (attributions.data as Float32Array).map((v) => -v));
    const options = { target, probability: 'raw' as const };
    const [del, delRev] = [await deletionCurve(mlp, x, attributions, options), await deletionCurve(mlp, x, reversed, options)];
    const [ins, insRev] = [await insertionCurve(mlp, x, attributions, options), await insertionCurve(mlp, x, reversed, options)];
    for (let r = 0; r < 2; r++) {
      expect(del.auc[r]!).toBeLessThan(delRev.auc[r]!);
      expect(ins.auc[r]!).toBeGreaterThan(insRev.auc[r]!);
    }
  });
});
