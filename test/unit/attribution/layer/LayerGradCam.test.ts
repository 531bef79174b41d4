import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { GuidedGradCam } from '../../../../src/attribution/layer/GuidedGradCam.js';
import { LayerGradCam } from '../../../../src/attribution/layer/LayerGradCam.js';
import { interpolateLayer } from '../../../../src/attribution/layer/upsample.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { maxAbsDiff, relError } from '../../../helpers/compare.js';
import { at, camNet, fixtureInput, GRADS, randn, twoLayer } from './models.js';

describe('LayerGradCam on a CAM network (closed form)', () => {
  // act = relu(conv·x) [N, K, H, W] → GAP → logits = V·pooled: ∂y_t/∂act[k, s] = V[t, k]/HW, so
  // the map is Σ_k V[t, k]/HW · act[k, s] (Grad-CAM reduces to CAM).
  const net = camNet();
  const x = randn([2, 2, 3, 5], 21);
  let explainable: Explainable;
  beforeAll(async () => { explainable = await Explainable.create(net.model); });
  afterAll(async () => { await explainable.release(); });

  const expected = (act: Tensor, targets: number[], relu = false): Tensor => {
    const [n, k, h, w] = act.shape as [number, number, number, number];
    const out = Tensor.float32([n, 1, h, w]);
    for (let r = 0; r < n; r++) for (let s = 0; s < h * w; s++) {
      let sum = 0;
      for (let c = 0; c < k; c++) sum += (at(net.v, targets[r]!, c) / (h * w)) * at(act, r, c, Math.floor(s / w), s % w);
      (out.data as Float32Array)[r * h * w + s] = relu ? Math.max(0, sum) : sum;
    }
    return out;
  };

  it('weights the channels by the spatial mean of the gradient, one target or one per row', async () => {
    const act = (await explainable.valuesFrom({ x }, ['act'])).act!;
    const cam = new LayerGradCam(explainable, 'act');
    const one = await cam.attribute(x, { target: 2 });
    expect(one.attributions.shape).toEqual([2, 1, 3, 5]);
    expect(relError(one.attributions, expected(act, [2, 2]))).toBeLessThan(1e-6);
    const perRow = await cam.attribute(x, { target: [1, 3], internalBatchSize: 1 });
    expect(relError(perRow.attributions, expected(act, [1, 3]))).toBeLessThan(1e-6);
    const relu = await cam.attribute(x, { target: [1, 3], reluAttributions: true });
    expect(relError(relu.attributions, expected(act, [1, 3], true))).toBeLessThan(1e-6);
  });

  it('attributes to the layer input (the ReLU\'s input) when asked', async () => {
    const cam = new LayerGradCam(explainable, 'act');
    const toInput = await cam.attribute(x, { target: 0, attributeToLayerInput: true });
    const direct = await new LayerGradCam(explainable, 'pre').attribute(x, { target: 0 });
    expect(maxAbsDiff(toInput.attributions, direct.attributions)).toBe(0);
  });

  it('Guided Grad-CAM: guided-backprop gradients times the upsampled ReLU\'d map', async () => {
    // Guided gradient: dx[c, s] = Σ_k W[k, c] · relu(V[t, k]/HW · [pre[k, s] > 0]).
    const { pre, act } = await explainable.valuesFrom({ x }, ['pre', 'act']);
    const map = expected(act!, [3, 3], true);
    const result = await new GuidedGradCam(explainable, 'act').attribute(x, { target: 3 });
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const want = Tensor.float32(x.shape);
    for (let r = 0; r < n; r++) for (let ch = 0; ch < c; ch++) for (let s = 0; s < h * w; s++) {
      let g = 0;
      for (let k = 0; k < net.v.shape[1]!; k++) {
        const open = at(pre!, r, k, Math.floor(s / w), s % w) > 0 ? 1 : 0;
        g += at(net.conv, k, ch, 0, 0) * Math.max(0, (at(net.v, 3, k) / (h * w)) * open);
      }
      (want.data as Float32Array)[((r * c + ch) * h * w) + s] = g * (map.data as Float32Array)[r * h * w + s]!;
    }
    expect(result.attributions.shape).toEqual(x.shape);
    expect(relError(result.attributions, want)).toBeLessThan(1e-6);
  });
});

describe('LayerGradCam on the cnn_bn fixture', () => {
  const { inputs, target } = fixtureInput('cnn_bn');
  const x = inputs.input!;
  const layer = '/Relu_1_output_0'; // the last conv's ReLU: [batch, 8, 10, 10]
  let explainable: Explainable;
  beforeAll(async () => { explainable = await Explainable.create(loadModel(join(GRADS, 'cnn_bn.onnx'))); });
  afterAll(async () => { await explainable.release(); });

  it('gives a [batch, 1, 10, 10] map, upsampled to the input 28×28 nearest or bilinear', async () => {
    const cam = new LayerGradCam(explainable, layer);
    const map = (await cam.attribute(x, { target })).attributions;
    expect(map.shape).toEqual([2, 1, 10, 10]);
    expect(map.toNumbers().some((v) => v !== 0)).toBe(true);
    const nearest = (await cam.attribute(x, { target, upsample: 'nearest' })).attributions;
    const bilinear = (await cam.attribute(x, { target, upsample: 'bilinear' })).attributions;
    expect(nearest.shape).toEqual([2, 1, 28, 28]);
    expect(bilinear.shape).toEqual([2, 1, 28, 28]);
    expect(maxAbsDiff(nearest, interpolateLayer(map, [28, 28], 'nearest'))).toBe(0);
    expect(maxAbsDiff(bilinear, interpolateLayer(map, [28, 28], 'bilinear'))).toBe(0);
    // torch's nearest for 10 → 28: source floor(i · 10/28).
    expect(at(nearest, 1, 0, 27, 13)).toBe(at(map, 1, 0, 9, 4));
    expect(at(nearest, 0, 0, 14, 3)).toBe(at(map, 0, 0, 5, 1));
  });

  it('matches the Grad-CAM formula on the layer gradients the model gives', async () => {
    // Independent of LayerGradCam's loop: average the layer gradient per channel by hand.
    const { gradients, values } = await explainable.vjp(x, { wrt: layer, keep: [layer], target });
    const a = values[layer]!;
    const want = Tensor.float32([2, 1, 10, 10]);
    for (let r = 0; r < 2; r++) for (let c = 0; c < 8; c++) {
      let mean = 0;
      for (let s = 0; s < 100; s++) mean += at(gradients, r, c, Math.floor(s / 10), s % 10) / 100;
      for (let s = 0; s < 100; s++) (want.data as Float32Array)[r * 100 + s] += mean * at(a, r, c, Math.floor(s / 10), s % 10);
    }
    const map = (await new LayerGradCam(explainable, layer).attribute(x, { target })).attributions;
    expect(relError(map, want)).toBeLessThan(1e-6);
  });

  it('Guided Grad-CAM is shaped like the input and vanishes where the map is zero', async () => {
    const result = (await new GuidedGradCam(explainable, layer).attribute(x, { target, interpolateMode: 'bilinear' })).attributions;
    expect(result.shape).toEqual([2, 1, 28, 28]);
    const map = (await new LayerGradCam(explainable, layer).attribute(x, { target, reluAttributions: true, upsample: 'bilinear' })).attributions;
    const m = map.data as Float32Array;
    expect(m.some((v) => v === 0)).toBe(true);
    (result.data as Float32Array).forEach((v, i) => { if (m[i] === 0) expect(Math.abs(v)).toBe(0); });
    expect(result.toNumbers().some((v) => v !== 0)).toBe(true);
  });

  it('refuses a non-spatial layer, bad targets and unknown layers with one-line errors', async () => {
    await expect(new LayerGradCam(explainable, '/Relu_2_output_0').attribute(x, { target })).rejects.toMatchObject({
      code: 'not-applicable',
      message: expect.stringMatching(/^Grad-CAM needs a spatial layer .*"\/Relu_2_output_0" has rank 2[^\n]*$/),
    });
    await expect(new LayerGradCam(explainable, layer).attribute(x, { target: 10 })).rejects.toMatchObject({ code: 'bad-target' });
    expect(() => new LayerGradCam(explainable, '/Relu_1_output')).toThrow(/no tensor named "\/Relu_1_output" \(did you mean/);
    const flat = await Explainable.create(twoLayer().model);
    await expect(new GuidedGradCam(flat, 'hidden').attribute(randn([2, 5], 1), { target: 0 })).rejects.toMatchObject({ code: 'not-applicable' });
    await flat.release();
  });
});

describe('interpolateLayer (LayerAttribution.interpolate, align_corners=False)', () => {
  // References printed by torch 1.13's F.interpolate.
  it('matches torch on exact and fractional scales', () => {
    const square = Tensor.float32([1, 1, 2, 2], [1, 2, 3, 4]);
    expect(interpolateLayer(square, [4, 4], 'bilinear').toNumbers()).toEqual([1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
    const row = Tensor.float32([1, 1, 1, 3], [0, 1, 4]);
    expect(interpolateLayer(row, [1, 5], 'nearest').toNumbers()).toEqual([0, 0, 1, 1, 4]);
    const torchRow = [0, 0.40000003576278687, 1.000000238418579, 2.8000001907348633, 4];
    interpolateLayer(row, [1, 5], 'bilinear').toNumbers().forEach((v, i) => expect(v).toBeCloseTo(torchRow[i]!, 6));
    const line = Tensor.float32([1, 1, 10], Array.from({ length: 10 }, (_, i) => i));
    expect(interpolateLayer(line, [28], 'nearest').toNumbers()).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9]);
    const grid = Tensor.float32([1, 1, 5, 6], Array.from({ length: 30 }, (_, k) => Math.fround(Math.fround(k * Math.fround(0.37)) - 2)));
    const down = [-1.1675000190734863, -0.612500011920929, -0.05750003457069397, 0.4975000321865082, 2.5324997901916504, 3.0875000953674316, 3.6424999237060547, 4.197499752044678, 6.232500076293945, 6.787499904632568, 7.342499732971191, 7.897500038146973];
    interpolateLayer(grid, [3, 4], 'bilinear').toNumbers().forEach((v, i) => expect(v).toBeCloseTo(down[i]!, 5));
    const up = interpolateLayer(grid, [7, 13], 'bilinear').toNumbers();
    expect(up.slice(0, 4).map((v) => Number(v.toFixed(5)))).toEqual([-2, -1.92885, -1.75808, -1.58731]);
    expect(up[90]).toBeCloseTo(8.730000495910645, 5);
    const nearest = interpolateLayer(grid, [7, 13], 'nearest').toNumbers();
    expect(nearest.slice(26, 29)).toEqual([grid.toNumbers()[6], grid.toNumbers()[6], grid.toNumbers()[6]]);
  });

  it('refuses bilinear without two spatial dims and mismatched sizes', () => {
    expect(() => interpolateLayer(Tensor.float32([1, 1, 4]), [8], 'bilinear')).toThrow(/bilinear upsampling needs 2 spatial dims/);
    expect(() => interpolateLayer(Tensor.float32([1, 1, 4, 4]), [8], 'nearest')).toThrow(/2 spatial dims .* to 1 dims/);
  });
});
