import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { LayerActivation } from '../../../../src/attribution/layer/LayerActivation.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { at, fixtureInput, GRADS, randn, twoLayer } from './models.js';

describe('LayerActivation', () => {
  it('gives the layer\'s values (and its input\'s), chunked or not', async () => {
    const net = twoLayer({ act: 'Tanh' });
    const explainable = await Explainable.create(net.model);
    const x = randn([3, 5], 8);
    const activation = new LayerActivation(explainable, 'hidden');
    const done: number[] = [];
    const { attributions } = await activation.attribute(x, { internalBatchSize: 2, onProgress: (d) => done.push(d) });
    expect(done).toEqual([2, 3]);
    for (let r = 0; r < 3; r++) for (let j = 0; j < 4; j++) {
      let pre = at(net.b1, j);
      for (let i = 0; i < 5; i++) pre += at(net.w1, j, i) * at(x, r, i);
      expect(at(attributions, r, j)).toBeCloseTo(Math.tanh(pre), 6);
      expect(at((await activation.attribute(x, { attributeToLayerInput: true })).attributions, r, j)).toBeCloseTo(pre, 5);
    }
    await explainable.release();
  });

  it('computes a cut text model\'s embeddings from token ids', async () => {
    const { inputs } = fixtureInput('transformer');
    const explainable = await Explainable.create(loadModel(join(GRADS, 'transformer.onnx')), { input: '/Add_output_0' });
    const fromIds = (await new LayerActivation(explainable, '/Add_output_0').attribute(inputs.input_ids!)).attributions;
    expect(fromIds.shape).toEqual([2, 7, 32]);
    expect(maxAbsDiff(fromIds, await explainable.inputFrom({ input_ids: inputs.input_ids! }))).toBe(0);
    await explainable.release();
  });
});
