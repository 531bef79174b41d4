import { describe, expect, it } from 'vitest';
import { information } from '../../../../src/analysis/information/measure.js';
import { exposePositions, positionName } from '../../../../src/analysis/information/positions.js';
import { prepareModel } from '../../../../src/engine/prepare.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { Session } from '../../../../src/runtime/session.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { maskedModel, randn } from './models.js';

describe('exposePositions', () => {
  it('adds <layer>@j, the layer at position j, and leaves the model given alone', async () => {
    const model = maskedModel({ hidden: 1 });
    const { model: exposed, names } = exposePositions(model, ['layer'], [0, 3]);
    expect(names).toEqual([['layer@0', 'layer@3']]);
    expect(positionName('layer', 3)).toBe('layer@3');
    expect(model.graph.valueNames().has('layer@0')).toBe(false);
    exposed.graph.outputs.push({ name: 'layer' });
    const { model: prepared } = await prepareModel(exposed);
    const session = await Session.create(prepared);
    try {
      const x = randn([2, 5, 4], 3);
      const out = await session.run({ x }, { outputs: ['layer', 'layer@0', 'layer@3'] });
      const layer = out.layer!.toNumbers();
      expect(out['layer@3']!.shape).toEqual([2, 4]);
      for (const [name, j] of [['layer@0', 0], ['layer@3', 3]] as const) {
        const row = out[name]!.toNumbers();
        for (let b = 0; b < 2; b++) for (let d = 0; d < 4; d++) expect(row[b * 4 + d]).toBe(layer[b * 20 + j * 4 + d]);
      }
    } finally {
      await session.release();
    }
  });

  it('measured from one position, a word only that position reads is the one kept', async () => {
    // y[:, j] = x[:, 3 − j] · W: position j copies word 3 − j (the reverse task, by construction).
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4, 3]);
    const flip = b.constant('flip', Tensor.float32([4, 4], [0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0]));
    b.op('MatMul', [b.op('MatMul', [flip, x]), b.constant('w', randn([3, 3], 5))], {}, { outputs: ['y'] });
    b.output('y');
    const { model, names } = exposePositions(b.model(), ['y'], [0, 1, 2, 3]);
    const result = await information(model, { embeddings: randn([1, 4, 3], 6) }, { input: 'x', layers: names[0]!, steps: 600 });
    result.layers.forEach((layer, j) => {
      const kept = layer.sigma.indexOf(Math.min(...layer.sigma));
      expect(kept, layer.layer).toBe(3 - j);
      for (const [i, s] of layer.sigma.entries()) if (i !== 3 - j) expect(s / result.scale).toBeGreaterThan(0.9);
    });
  });

  it('refuses unknown layers and layers without positions', () => {
    const model = maskedModel({ hidden: 1 });
    expect(() => exposePositions(model, ['layr'], [0])).toThrow(/^the model has no tensor named "layr" \(did you mean .*"layer"/);
    expect(() => exposePositions(model, ['layer'], [-1])).toThrow(/^positions are integers ≥ 0, got -1/);
  });
});
