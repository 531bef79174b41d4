import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { NeuronGradient } from '../../../../src/attribution/neuron/NeuronGradient.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { tensorFromProto } from '../../../../src/onnx/ir/tensor-proto.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { at, fixtureInput, GRADS, randn, twoLayer } from '../layer/models.js';

describe('NeuronGradient', () => {
  it('is the weight row of a linear neuron, for every input row', async () => {
    const net = twoLayer({ act: 'Tanh' });
    const explainable = await Explainable.create(net.model);
    const x = randn([3, 5], 9);
    const ng = new NeuronGradient(explainable, 'pre');
    for (const selector of [[2], 2, [-1]]) {
      const { attributions } = await ng.attribute(x, { neuronSelector: selector, internalBatchSize: 2 });
      const j = selector === -1 || (Array.isArray(selector) && selector[0] === -1) ? 3 : 2;
      for (let r = 0; r < 3; r++) for (let i = 0; i < 5; i++) expect(at(attributions, r, i)).toBeCloseTo(at(net.w1, j, i), 6);
    }
    // Through the tanh: (1 − tanh²(pre_j)) · W1[j].
    const { attributions } = await new NeuronGradient(explainable, 'hidden').attribute(x, { neuronSelector: [1] });
    const { hidden } = await explainable.valuesFrom({ x }, ['hidden']);
    for (let r = 0; r < 3; r++) for (let i = 0; i < 5; i++) expect(at(attributions, r, i)).toBeCloseTo((1 - at(hidden!, r, 1) ** 2) * at(net.w1, 1, i), 6);
    await explainable.release();
  });

  it('is the kernel placed at the neuron for a conv output of the cnn_bn fixture', async () => {
    // conv1: 1 → 4 channels, 5×5 kernel, padding 2: ∂out[c, i, j]/∂x[0, i + u − 2, j + v − 2] = W[c, 0, u, v].
    const model = loadModel(join(GRADS, 'cnn_bn.onnx'));
    const weight = model.graph.initializers.get('conv1.weight')!;
    const w = tensorFromProto(weight);
    const explainable = await Explainable.create(model);
    const x = fixtureInput('cnn_bn').inputs.input!;
    const { attributions } = await new NeuronGradient(explainable, '/conv1/Conv_output_0').attribute(x, { neuronSelector: [3, 1, 20] });
    const want = Tensor.float32([2, 1, 28, 28]);
    for (let r = 0; r < 2; r++) for (let u = 0; u < 5; u++) for (let v = 0; v < 5; v++) {
      const [i, j] = [1 + u - 2, 20 + v - 2];
      if (i >= 0 && j >= 0) (want.data as Float32Array)[r * 784 + i * 28 + j] = at(w, 3, 0, u, v);
    }
    expect(attributions.toNumbers()).toEqual(want.toNumbers());
    await explainable.release();
  });

  it('refuses selectors of the wrong length or out of range with one-line errors', async () => {
    const explainable = await Explainable.create(twoLayer().model);
    const ng = new NeuronGradient(explainable, 'hidden');
    await expect(ng.attribute(randn([2, 5], 1), { neuronSelector: [0, 1] })).rejects.toThrow(/selector \[0, 1\] has 2 indices but a row of "hidden" has 1 dims/);
    await expect(ng.attribute(randn([2, 5], 1), { neuronSelector: [4] })).rejects.toMatchObject({ code: 'bad-neuron' });
    await explainable.release();
  });
});
