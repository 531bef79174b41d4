import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { FeatureAblation, Occlusion } from '../../../../src/attribution/perturbation/index.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { parseTensorValue } from '../../../../src/tensor/json.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { maxAbs, maxAbsDiff } from '../../../helpers/compare.js';
import { ROOT } from '../../../helpers/fixtures.js';

const GRADS = join(ROOT, 'test', 'fixtures', 'gradients');
const fixture = JSON.parse(readFileSync(join(GRADS, 'cnn_bn.grad.json'), 'utf8'));
const x = parseTensorValue(fixture.inputs.input, 'x').tensor; // [2, 1, 28, 28]
const target = fixture.target as number;

let model: Explainable;
beforeAll(async () => { model = await Explainable.create(loadModel(join(GRADS, 'cnn_bn.onnx'))); });
afterAll(async () => { await model.release(); });

describe('Occlusion on the CNN fixture (4×4 windows, strides 2)', () => {
  it('has the input shape, does not depend on the batching, and matches a direct window at the corner', async () => {
    const occlusion = new Occlusion(model);
    const progress: number[] = [];
    const auto = await occlusion.attribute(x, { target, slidingWindowShapes: [1, 4, 4], strides: 2, onProgress: (done, total) => progress.push(done / total) });
    expect(auto.attributions.shape).toEqual([2, 1, 28, 28]);
    expect(progress.at(-1)).toBe(1);
    const scale = maxAbs(auto.attributions);
    expect(scale).toBeGreaterThan(0);
    for (const chunking of [{ perturbationsPerEval: 1 }, { perturbationsPerEval: 16 }, { internalBatchSize: 7 }]) {
      const other = await occlusion.attribute(x, { target, slidingWindowShapes: [1, 4, 4], strides: 2, ...chunking });
      expect(maxAbsDiff(other.attributions, auto.attributions) / scale).toBeLessThan(1e-5);
    }
    // Element (0, 0) lies in one window only, the one at the corner: its attribution is that window's drop.
    const row = x.sliceBatch(0, 1);
    const occluded = Float32Array.from(row.data as Float32Array);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) occluded[i * 28 + j] = 0;
    const [drop] = Explainable.select(await model.forward(new Tensor('float32', row.shape, occluded)), target);
    const [plain] = Explainable.select(await model.forward(row), target);
    expect(Math.abs((auto.attributions.data as Float32Array)[0]! - (plain! - drop!))).toBeLessThan(1e-5 * scale);
  });

  it('equals FeatureAblation with a 4×4 block mask when windows do not overlap (stride 4), mask broadcast from [28, 28]', async () => {
    const blocks = new Int32Array(28 * 28);
    for (let i = 0; i < 28; i++) for (let j = 0; j < 28; j++) blocks[i * 28 + j] = Math.floor(i / 4) * 7 + Math.floor(j / 4);
    const baselines = 0.25;
    const occlusion = await new Occlusion(model).attribute(x, { target: [target, 2], slidingWindowShapes: [1, 4, 4], strides: [1, 4, 4], baselines });
    const ablation = await new FeatureAblation(model).attribute(x, { target: [target, 2], featureMask: new Tensor('int32', [28, 28], blocks), baselines });
    expect(maxAbsDiff(occlusion.attributions, ablation.attributions) / maxAbs(ablation.attributions)).toBeLessThan(1e-6);
  });
});
