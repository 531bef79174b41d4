import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { LayerActivation } from '../../../../src/attribution/layer/LayerActivation.js';
import { ConductanceSum, LayerConductance } from '../../../../src/attribution/layer/LayerConductance.js';
import { LayerIntegratedGradients } from '../../../../src/attribution/layer/LayerIntegratedGradients.js';
import { IntegratedGradients } from '../../../../src/attribution/gradient/IntegratedGradients.js';
import { quadrature } from '../../../../src/attribution/util/quadrature.js';
import { rowSums } from '../../../../src/attribution/util/tensor-ops.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { relError } from '../../../helpers/compare.js';
import { at, fixtureInput, GRADS, randn, twoLayer } from './models.js';

describe('LayerConductance', () => {
  it('uses the method\'s nSteps + 1 points and their differences (Captum\'s step handling)', async () => {
    // With a linear head the layer gradient is the head's row, so the sum telescopes:
    // conductance = W2[t] ⊙ (layer(x′ + α_last·Δ) − layer(x′ + α_first·Δ)), α from the method's nSteps + 1 points.
    const net = twoLayer({ act: 'Tanh', seed: 5 });
    const explainable = await Explainable.create(net.model);
    const x = randn([2, 5], 6);
    const baseline = randn([2, 5], 7, 0.3);
    const activation = new LayerActivation(explainable, 'hidden');
    const conductance = new LayerConductance(explainable, 'hidden');
    const nSteps = 6;
    for (const method of ['gausslegendre', 'riemann_trapezoid', 'riemann_left'] as const) {
      const { alphas } = quadrature(method, nSteps + 1);
      const point = (alpha: number): Tensor => Tensor.float32(x.shape, x.toNumbers().map((v, i) => baseline.toNumbers()[i]! + alpha * (v - baseline.toNumbers()[i]!)));
      const last = (await activation.attribute(point(alphas[nSteps]!))).attributions;
      const first = (await activation.attribute(point(alphas[0]!))).attributions;
      const want = Tensor.float32([2, 4]);
      for (let r = 0; r < 2; r++) for (let j = 0; j < 4; j++) (want.data as Float32Array)[r * 4 + j] = at(net.w2, 2, j) * (at(last, r, j) - at(first, r, j));
      const { attributions } = await conductance.attribute(x, { target: 2, baselines: baseline, nSteps, method });
      expect(relError(attributions, want)).toBeLessThan(1e-5);
    }
    // The trapezoid's points include both ends: conductance is then exactly LayerIG here.
    const lig = await new LayerIntegratedGradients(explainable, 'hidden').attribute(x, { target: 2, baselines: baseline });
    const trapezoid = await conductance.attribute(x, { target: 2, baselines: baseline, nSteps, method: 'riemann_trapezoid' });
    expect(relError(trapezoid.attributions, lig.attributions)).toBeLessThan(1e-5);
    await explainable.release();
  });

  it('sums over the layer to the total IG of the input on the MLP fixture, with Captum\'s delta', async () => {
    const { inputs, target } = fixtureInput('mlp');
    const x = inputs.input!;
    const explainable = await Explainable.create(loadModel(join(GRADS, 'mlp.onnx')));
    const conductance = new LayerConductance(explainable, '/1/Tanh_output_0');
    const { attributions, delta } = await conductance.attribute(x, { target, nSteps: 100, returnConvergenceDelta: true, internalBatchSize: 64 });
    expect(attributions.shape).toEqual([2, 16]);
    const baseline = Tensor.float32(x.shape);
    const ig = (await new IntegratedGradients(explainable).attribute(x, { target, nSteps: 100 })).attributions;
    const f = Explainable.select(await explainable.forward(x), target);
    const f0 = Explainable.select(await explainable.forward(baseline), target);
    const cond = rowSums(attributions);
    const total = rowSums(ig);
    for (let r = 0; r < 2; r++) {
      const scale = Math.abs(f[r]! - f0[r]!);
      expect(Math.abs(cond[r]! - total[r]!)).toBeLessThan(2e-2 * scale);
      expect(delta![r]).toBeCloseTo(cond[r]! - (f[r]! - f0[r]!), 5);
    }
    // The trapezoid includes both end points: the sum is complete up to the O(1/n) error of
    // taking each step's gradient at its start.
    const trapezoid = await conductance.attribute(x, { target, nSteps: 200, method: 'riemann_trapezoid', returnConvergenceDelta: true });
    for (let r = 0; r < 2; r++) expect(Math.abs(trapezoid.delta![r]!)).toBeLessThan(5e-3 * Math.abs(f[r]! - f0[r]!));
    await explainable.release();
  });

  it('pairs the last point of a block of path points with the first of the next', () => {
    // 5 path points of 2 rows × 3 values; in one block or in blocks of 2, 1 and 2 points.
    const g = randn([10, 3], 31);
    const a = randn([10, 3], 32);
    const whole = new ConductanceSum();
    whole.add(g, a, 5);
    const parts = new ConductanceSum();
    for (const [start, end] of [[0, 2], [2, 3], [3, 5]] as const) parts.add(g.sliceBatch(2 * start, 2 * end), a.sliceBatch(2 * start, 2 * end), end - start);
    const want = Tensor.float32([2, 3]);
    for (let k = 0; k < 4; k++) for (let i = 0; i < 6; i++) {
      (want.data as Float32Array)[i] += (g.data as Float32Array)[k * 6 + i]! * ((a.data as Float32Array)[(k + 1) * 6 + i]! - (a.data as Float32Array)[k * 6 + i]!);
    }
    expect(relError(whole.result(2), want)).toBeLessThan(1e-6);
    expect(parts.result(2).toNumbers()).toEqual(whole.result(2).toNumbers());
  });
});
