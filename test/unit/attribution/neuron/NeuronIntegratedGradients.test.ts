import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { LayerActivation } from '../../../../src/attribution/layer/LayerActivation.js';
import { NeuronIntegratedGradients } from '../../../../src/attribution/neuron/NeuronIntegratedGradients.js';
import { rowSums } from '../../../../src/attribution/util/tensor-ops.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { at, fixtureInput, GRADS, randn, twoLayer } from '../layer/models.js';

describe('NeuronIntegratedGradients', () => {
  it('is (x − x′) ⊙ the weight row for a linear neuron, whatever the method', async () => {
    const net = twoLayer();
    const explainable = await Explainable.create(net.model);
    const x = randn([2, 5], 12);
    const baseline = randn([1, 5], 13);
    const nig = new NeuronIntegratedGradients(explainable, 'pre');
    for (const method of ['gausslegendre', 'riemann_left', 'riemann_trapezoid'] as const) {
      const { attributions } = await nig.attribute(x, { neuronSelector: [1], baselines: baseline, nSteps: 5, method });
      // Captum's trapezoid weights sum to (n − 1)/n (its Δ stays 1/n), and so do its attributions.
      const scale = method === 'riemann_trapezoid' ? 4 / 5 : 1;
      for (let r = 0; r < 2; r++) for (let i = 0; i < 5; i++) {
        expect(at(attributions, r, i)).toBeCloseTo(scale * (at(x, r, i) - at(baseline, 0, i)) * at(net.w1, 1, i), 5);
      }
    }
    await explainable.release();
  });

  it('is complete for a nonlinear neuron: Σ ≈ neuron(x) − neuron(x′) (the cnn_bn fixture\'s fc1 ReLU)', async () => {
    const x = fixtureInput('cnn_bn').inputs.input!;
    const explainable = await Explainable.create(loadModel(join(GRADS, 'cnn_bn.onnx')));
    const layer = '/Relu_2_output_0';
    const values = (await new LayerActivation(explainable, layer).attribute(x)).attributions;
    const base = (await new LayerActivation(explainable, layer).attribute(Tensor.float32(x.shape))).attributions;
    // A neuron that is active for both rows, so the difference is not trivially zero.
    const neuron = Array.from({ length: 32 }, (_, j) => j).find((j) => at(values, 0, j) > 0.05 && at(values, 1, j) > 0.05)!;
    expect(neuron).toBeDefined();
    const { attributions } = await new NeuronIntegratedGradients(explainable, layer).attribute(x, { neuronSelector: [neuron], nSteps: 100, internalBatchSize: 64 });
    expect(attributions.shape).toEqual([2, 1, 28, 28]);
    const sums = rowSums(attributions);
    for (let r = 0; r < 2; r++) {
      const change = at(values, r, neuron) - at(base, r, neuron);
      expect(Math.abs(sums[r]! - change)).toBeLessThan(2e-2 * Math.abs(change) + 1e-4);
    }
    await explainable.release();
  });
});
