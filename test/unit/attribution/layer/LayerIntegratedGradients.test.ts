import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { LayerActivation } from '../../../../src/attribution/layer/LayerActivation.js';
import { LayerIntegratedGradients } from '../../../../src/attribution/layer/LayerIntegratedGradients.js';
import { IntegratedGradients } from '../../../../src/attribution/gradient/IntegratedGradients.js';
import type { Feeds } from '../../../../src/runtime/feeds.js';
import { rowSums } from '../../../../src/attribution/util/tensor-ops.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { relError } from '../../../helpers/compare.js';
import { at, fixtureInput, GRADS, randn, twoLayer } from './models.js';

describe('LayerIntegratedGradients', () => {
  it('is (layer(x) − layer(x′)) × the head\'s weights when a linear head follows the layer', async () => {
    const net = twoLayer({ act: 'Tanh' });
    const explainable = await Explainable.create(net.model);
    const x = randn([3, 5], 2);
    const baseline = randn([1, 5], 3);
    const targets = [0, 2, 1];
    const { hidden } = await explainable.valuesFrom({ x }, ['hidden']);
    const { hidden: hiddenBase } = await explainable.valuesFrom({ x: baseline }, ['hidden']);
    const want = Tensor.float32([3, 4]);
    for (let r = 0; r < 3; r++) for (let j = 0; j < 4; j++) (want.data as Float32Array)[r * 4 + j] = (at(hidden!, r, j) - at(hiddenBase!, 0, j)) * at(net.w2, targets[r]!, j);
    const lig = new LayerIntegratedGradients(explainable, 'hidden');
    for (const method of ['gausslegendre', 'riemann_right', 'riemann_middle'] as const) {
      const { attributions, delta } = await lig.attribute(x, { target: targets, baselines: baseline, nSteps: 7, method, returnConvergenceDelta: true });
      expect(attributions.shape).toEqual([3, 4]);
      expect(relError(attributions, want)).toBeLessThan(1e-5);
      for (const d of delta!) expect(Math.abs(d)).toBeLessThan(1e-5);
    }
    await lig.release();
    await explainable.release();
  });

  it('keeps the input\'s value where it bypasses the layer, as Captum\'s forward hook does', async () => {
    // logits = W2·hidden + b2 + W3·x: only the hidden path is integrated, so the attributions
    // are the closed form above and the delta misses exactly W3·(x − x′) for the target.
    const net = twoLayer({ skip: true });
    const explainable = await Explainable.create(net.model);
    const x = randn([2, 5], 4);
    const lig = new LayerIntegratedGradients(explainable, 'hidden');
    const { attributions, delta } = await lig.attribute(x, { target: 1, returnConvergenceDelta: true });
    const { hidden } = await explainable.valuesFrom({ x }, ['hidden']);
    const hiddenBase = net.b1; // x′ = 0
    for (let r = 0; r < 2; r++) {
      for (let j = 0; j < 4; j++) expect(at(attributions, r, j)).toBeCloseTo((at(hidden!, r, j) - at(hiddenBase, j)) * at(net.w2, 1, j), 5);
      let skip = 0;
      for (let i = 0; i < 5; i++) skip += at(net.w3!, 1, i) * at(x, r, i);
      expect(delta![r]).toBeCloseTo(-skip, 4);
    }
    await lig.release();
    await explainable.release();
  });

  it('is complete on the MLP fixture: Σ attributions ≈ F(x) − F(x′), delta as Captum computes it', async () => {
    const { inputs, target } = fixtureInput('mlp');
    const x = inputs.input!;
    const explainable = await Explainable.create(loadModel(join(GRADS, 'mlp.onnx')));
    const lig = new LayerIntegratedGradients(explainable, '/1/Tanh_output_0');
    const { attributions, delta } = await lig.attribute(x, { target, nSteps: 64, returnConvergenceDelta: true, internalBatchSize: 16 });
    expect(attributions.shape).toEqual([2, 16]);
    const f = Explainable.select(await explainable.forward(x), target);
    const f0 = Explainable.select(await explainable.forward(Tensor.float32(x.shape)), target);
    const sums = rowSums(attributions);
    for (let r = 0; r < 2; r++) {
      expect(delta![r]).toBeCloseTo(sums[r]! - (f[r]! - f0[r]!), 5);
      expect(Math.abs(delta![r]!)).toBeLessThan(1e-3 * Math.abs(f[r]! - f0[r]!) + 1e-5);
    }
    // IG on a model cut at the layer, from the baseline's layer value, is the same thing.
    const cut = await Explainable.create(loadModel(join(GRADS, 'mlp.onnx')), { input: '/1/Tanh_output_0' });
    const act = new LayerActivation(explainable, '/1/Tanh_output_0');
    const at1 = (await act.attribute(x)).attributions;
    const at0 = (await act.attribute(Tensor.float32(x.shape))).attributions;
    // (The cut model still declares the unused raw input; it is fed but not read.)
    const extra: Feeds = Object.fromEntries(cut.extraInputs.map((n) => [n, x]));
    const direct = (await new IntegratedGradients(cut).attribute(at1, { baselines: at0, target, nSteps: 64, additionalForwardArgs: extra })).attributions;
    expect(relError(attributions, direct)).toBeLessThan(1e-6);
    await cut.release();
    await lig.release();
    await explainable.release();
  });

  it('text: integrates over the embedding layer of the transformer fixture from token ids', async () => {
    const { inputs, target } = fixtureInput('transformer');
    const ids = inputs.input_ids!;
    const explainable = await Explainable.create(loadModel(join(GRADS, 'transformer.onnx')), { input: '/Add_output_0' });
    const lig = new LayerIntegratedGradients(explainable, '/Add_output_0');
    // A [PAD]-like reference: token 0 everywhere but the first position.
    const reference = Tensor.int64([1, 7], [ids.toNumbers()[0]!, 0, 0, 0, 0, 0, 0]);
    const { attributions, delta } = await lig.attribute(ids, { target, baselines: reference, nSteps: 50, returnConvergenceDelta: true });
    expect(attributions.shape).toEqual([2, 7, 32]);
    const full = await Explainable.create(loadModel(join(GRADS, 'transformer.onnx')), { input: '/Add_output_0' });
    const emb = await full.inputFrom({ input_ids: ids });
    const embBase = await full.inputFrom({ input_ids: Tensor.int64([2, 7], [...reference.toNumbers(), ...reference.toNumbers()]) });
    const extra: Feeds = full.extraInputs.length ? { input_ids: ids } : {};
    const f = Explainable.select(await full.forward(emb, extra), target);
    const f0 = Explainable.select(await full.forward(embBase, extra), target);
    const sums = rowSums(attributions);
    for (let r = 0; r < 2; r++) {
      // Completeness on the path the layer method integrates (F at the embeddings of x′).
      expect(Math.abs(sums[r]! - (f[r]! - f0[r]!))).toBeLessThan(2e-3 * Math.abs(f[r]! - f0[r]!) + 1e-4);
      expect(Number.isFinite(delta![r]!)).toBe(true);
    }
    // Token 0's attribution sums are nearly zero where the reference equals the input (position 0).
    const perToken = Array.from({ length: 7 }, (_, t) => { let s = 0; for (let k = 0; k < 32; k++) s += at(attributions, 0, t, k); return s; });
    expect(Math.abs(perToken[0]!)).toBeLessThan(1e-6);
    await full.release();
    await lig.release();
    await explainable.release();
  });

  it('refuses a baseline of the wrong shape and unknown layers with one-line errors', async () => {
    const net = twoLayer();
    const explainable = await Explainable.create(net.model);
    const lig = new LayerIntegratedGradients(explainable, 'hidden');
    await expect(lig.attribute(randn([2, 5], 1), { target: 0, baselines: randn([3, 5], 2) })).rejects.toMatchObject({ code: 'bad-baseline' });
    await expect(new LayerIntegratedGradients(explainable, 'hiden').attribute(randn([2, 5], 1), { target: 0 })).rejects.toThrow(/no tensor named "hiden" \(did you mean "hidden"/);
    await expect(lig.attribute(randn([2, 5], 1), { target: [0, 1, 2] })).rejects.toMatchObject({ code: 'bad-target' });
    await lig.release();
    await explainable.release();
  });
});
