import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { DeepLift, DeepLiftShap, InputXGradient } from '../../../../src/attribution/gradient/index.js';
import { rowSums, sub } from '../../../../src/attribution/util/tensor-ops.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { maxAbsDiff, relError } from '../../../helpers/compare.js';
import { ACTIVATIONS, deepLiftNet, fixture, hiddenOf, netModel, randomNet, randomTensor, rowsOf, type Activation } from './models.js';

const maxAbs = (a: Float64Array): number => Math.max(...Array.from(a, Math.abs));

describe('DeepLift (rescale rule)', () => {
  for (const f of Object.keys(ACTIVATIONS) as Activation[]) {
    it(`matches the closed form and sums exactly to F(x) − F(x′) through ${f}`, async () => {
      const net = randomNet(f, 4, 6, 3, 11);
      const model = await netModel(net);
      const random = new Random(12);
      const x = randomTensor([3, 4], random, 2);
      const baseline = randomTensor([3, 4], random, 2);
      const targets = [0, 1, 2];
      const { attributions, delta } = await new DeepLift(model).attribute(x, { target: targets, baselines: baseline, returnConvergenceDelta: true });
      const [xs, bs] = [rowsOf(x), rowsOf(baseline)];
      const want = Tensor.float32(x.shape, xs.flatMap((row, r) => deepLiftNet(net, row, bs[r]!, targets[r]!)));
      expect(relError(attributions, want)).toBeLessThan(1e-4);
      expect(delta).toHaveLength(3);
      expect(maxAbs(delta!)).toBeLessThan(1e-5);
      await model.release();
    });
  }

  it('keeps the ordinary derivative where an input equals its reference (Captum\'s eps)', async () => {
    const net = randomNet('Sigmoid', 3, 4, 2, 21);
    const model = await netModel(net);
    const x = Tensor.float32([1, 3], [0.3, -1, 2]);
    const { attributions } = await new DeepLift(model, { multiplyByInputs: false }).attribute(x, { target: 1, baselines: x });
    // Δx = 0 everywhere: the multipliers are the gradient at x.
    const s = ACTIVATIONS.Sigmoid;
    const h = hiddenOf(net, [0.3, -1, 2]);
    const want = net.w1.map((row) => row.reduce((acc, w, j) => acc + w * s(h[j]!) * (1 - s(h[j]!)) * net.w2[j]![1]!, 0));
    expect(relError(attributions, Tensor.float32([1, 3], want))).toBeLessThan(1e-5);
    await model.release();
  });

  it('follows Captum\'s Softmax rule (multiplier minus its mean over the whole batch)', async () => {
    const random = new Random(31);
    const w = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => random.normal()));
    const b = new GraphBuilder();
    const input = b.input('x', 'float32', ['batch', 3]);
    b.output(b.op('Softmax', [b.op('MatMul', [input, b.constant('w', Tensor.float32([3, 4], w.flat()))])], { axis: 1 }, { outputs: ['y'] })[0]!);
    const model = await Explainable.create(b.model());
    const x = randomTensor([2, 3], random);
    const baseline = randomTensor([2, 3], random);
    const targets = [1, 3];
    const { attributions } = await new DeepLift(model).attribute(x, { target: targets, baselines: baseline });
    // Float64 reference: z = xW, y = softmax(z); both halves seeded at their target.
    const softmax = (z: number[]): number[] => { const m = Math.max(...z); const e = z.map((v) => Math.exp(v - m)); const s = e.reduce((a, c) => a + c, 0); return e.map((v) => v / s); };
    const [xs, bs] = [rowsOf(x), rowsOf(baseline)];
    const z = (row: number[]): number[] => [0, 1, 2, 3].map((j) => row.reduce((s, v, i) => s + v * w[i]![j]!, 0));
    const unnormalized = [...xs, ...bs].map((_, r) => {
      const row = r % 2;
      const [zx, zb] = [z(xs[row]!), z(bs[row]!)];
      const [yx, yb] = [softmax(zx), softmax(zb)];
      return [0, 1, 2, 3].map((j) => (j === targets[row] ? 1 : 0) * (yx[j]! - yb[j]!) / (zx[j]! - zb[j]!));
    });
    const mean = unnormalized.flat().reduce((a, c) => a + c, 0) / 16;
    const want = xs.flatMap((row, r) => {
      const dz = unnormalized[r]!.map((v) => v - mean);
      return row.map((v, i) => (v - bs[r]![i]!) * dz.reduce((s, d, j) => s + d * w[i]![j]!, 0));
    });
    expect(relError(attributions, Tensor.float32([2, 3], want))).toBeLessThan(1e-4);
    await model.release();
  });

  it('follows Captum\'s MaxPool rule (cross maximum, spread to both halves\' arg-max positions)', async () => {
    const random = new Random(33);
    const w = [[random.normal(), random.normal()], [random.normal(), random.normal()]];
    const b = new GraphBuilder();
    const input = b.input('x', 'float32', ['batch', 1, 2, 4]);
    const pooled = b.op('MaxPool', [input], { kernel_shape: [2, 2], strides: [2, 2] });
    b.output(b.op('MatMul', [b.op('Flatten', [pooled], { axis: 1 }), b.constant('w', Tensor.float32([2, 2], w.flat()))], {}, { outputs: ['y'] })[0]!);
    const model = await Explainable.create(b.model());
    const x = randomTensor([2, 1, 2, 4], random);
    const baseline = randomTensor([2, 1, 2, 4], random);
    const target = 1;
    const { attributions, delta } = await new DeepLift(model).attribute(x, { target, baselines: baseline, returnConvergenceDelta: true });
    // Window k covers columns 2k, 2k + 1 of both rows; positions are row-major in [2, 4].
    const [xs, bs] = [rowsOf(x), rowsOf(baseline)];
    const argmax = (v: number[], k: number): number => [2 * k, 2 * k + 1, 4 + 2 * k, 5 + 2 * k].reduce((best, p) => (v[p]! > v[best]! ? p : best), 2 * k);
    const want = xs.flatMap((row, r) => {
      const out = new Array<number>(8).fill(0);
      for (const k of [0, 1]) {
        const [ix, ib] = [argmax(row, k), argmax(bs[r]!, k)];
        const [y, yRef] = [row[ix]!, bs[r]![ib]!];
        const top = Math.max(y, yRef);
        out[ix] += w[k]![target]! * (top - yRef);
        out[ib] += w[k]![target]! * (y - top);
      }
      return out;
    });
    expect(relError(attributions, Tensor.float32(x.shape, want))).toBeLessThan(1e-5);
    expect(maxAbs(delta!)).toBeLessThan(1e-5);
    await model.release();
  });

  it('sums to F(x) − F(x′) on the cnn_bn fixture (Conv, BatchNorm, ReLU, MaxPool, AveragePool)', async () => {
    const { model, inputs, target } = await fixture('cnn_bn');
    const x = inputs.input!;
    const baseline = randomTensor(x.shape as number[], new Random(7));
    const { attributions, delta } = await new DeepLift(model).attribute(x, { target, baselines: baseline, returnConvergenceDelta: true });
    const fx = Explainable.select(await model.forward(x), target);
    const fb = Explainable.select(await model.forward(baseline), target);
    // Measured: 1.4e-6 relative to F(x) − F(x′) (float32 rounding).
    delta!.forEach((d, r) => expect(Math.abs(d) / Math.abs(fx[r]! - fb[r]!)).toBeLessThan(1e-4));
    // It is not the gradient: the rescale rules changed the backward pass.
    const ixg = await new InputXGradient(model).attribute(sub(x, baseline), { target });
    expect(relError(attributions, ixg.attributions)).toBeGreaterThan(0.01);
    await model.release();
  });

  it('gives the same numbers with one input row per run', async () => {
    const { model, inputs, target } = await fixture('cnn_bn');
    const x = inputs.input!;
    const dl = new DeepLift(model);
    const one = await dl.attribute(x, { target: [target, 5], internalBatchSize: 2 });
    const all = await dl.attribute(x, { target: [target, 5] });
    expect(relError(one.attributions, all.attributions)).toBeLessThan(1e-6);
    await model.release();
  });

  it('is gradient × (x − x′) with no rescaled ops, on a Transformer cut at its embeddings', async () => {
    const { model, inputs, target } = await fixture('transformer', '/Add_output_0');
    const extra = { input_ids: inputs.input_ids! };
    const x = await model.inputFrom(extra);
    const plain = await new DeepLift(model, { rescaleOps: [] }).attribute(x, { target, additionalForwardArgs: extra });
    const ixg = await new InputXGradient(model).attribute(x, { target, additionalForwardArgs: extra });
    expect(relError(plain.attributions, ixg.attributions)).toBeLessThan(1e-5);
    // With Captum's full set the attention Softmax ([4·batch, seq, seq]) is rescaled too.
    const rescaled = await new DeepLift(model).attribute(x, { target, additionalForwardArgs: extra, returnConvergenceDelta: true });
    expect(relError(rescaled.attributions, ixg.attributions)).toBeGreaterThan(1e-3);
    await model.release();
  });

  it('refuses a baseline of the wrong shape and targets out of range', async () => {
    const model = await netModel(randomNet('Relu', 3, 4, 2, 5));
    const x = Tensor.float32([2, 3]);
    await expect(new DeepLift(model).attribute(x, { target: 0, baselines: Tensor.float32([3, 3]) })).rejects.toMatchObject({ code: 'bad-baseline' });
    await expect(new DeepLift(model).attribute(x, { target: 2 })).rejects.toThrow(/^target 2 is out of range/);
    expect(() => new DeepLift(model, { rescaleOps: ['Gelu'] })).toThrow(/no rescale rule for Gelu/);
    await model.release();
  });

  it('refuses to pair rows of a nonlinearity whose first axis is not the batch', async () => {
    const b = new GraphBuilder();
    const input = b.input('x', 'float32', ['batch', 3]);
    const relu = b.op('Relu', [b.op('Transpose', [input], { perm: [1, 0] })], {}, { name: 'features_first' });
    b.output(b.op('Transpose', [relu], { perm: [1, 0] }, { outputs: ['y'] })[0]!);
    const model = await Explainable.create(b.model());
    await expect(new DeepLift(model).attribute(Tensor.float32([2, 3]), { target: 0 })).rejects.toMatchObject({
      code: 'not-applicable',
      message: expect.stringMatching(/^DeepLift pairs each input row with its baseline row along the batch axis, but the input of Relu node "features_first" has first axis 3/),
    });
    await model.release();
  });
});

describe('DeepLiftShap', () => {
  it('averages DeepLift over the baselines and sums to F(x) − mean F(b)', async () => {
    const net = randomNet('Relu', 4, 6, 3, 41);
    const model = await netModel(net);
    const random = new Random(42);
    const x = randomTensor([2, 4], random, 2);
    const set = randomTensor([3, 4], random, 2);
    const { attributions, delta } = await new DeepLiftShap(model).attribute(x, { target: [2, 0], baselines: set, returnConvergenceDelta: true });
    const [xs, bs] = [rowsOf(x), rowsOf(set)];
    const want = xs.flatMap((row, r) => {
      const each = bs.map((b) => deepLiftNet(net, row, b, [2, 0][r]!));
      return row.map((_, i) => each.reduce((s, a) => s + a[i]!, 0) / bs.length);
    });
    expect(relError(attributions, Tensor.float32([2, 4], want))).toBeLessThan(1e-4);
    // One delta per (input row, baseline), input-major, as Captum returns them.
    expect(delta).toHaveLength(6);
    expect(maxAbs(delta!)).toBeLessThan(1e-5);
    const fx = Explainable.select(await model.forward(x), [2, 0]);
    const sums = rowSums(attributions);
    for (const r of [0, 1]) {
      const fb = Explainable.select(await model.forward(set), [2, 0][r]!);
      expect(sums[r]! - (fx[r]! - (fb[0]! + fb[1]! + fb[2]!) / 3)).toBeCloseTo(0, 5);
    }
    await model.release();
  });

  it('equals the mean of DeepLift against each baseline on the cnn_bn fixture', async () => {
    const { model, inputs, target } = await fixture('cnn_bn');
    const x = inputs.input!;
    const set = randomTensor([2, ...x.shape.slice(1)], new Random(9));
    const shap = await new DeepLiftShap(model).attribute(x, { target, baselines: set });
    const dl = new DeepLift(model);
    const [a, b] = [await dl.attribute(x, { target, baselines: set.sliceBatch(0, 1) }), await dl.attribute(x, { target, baselines: set.sliceBatch(1, 2) })];
    const other = b.attributions.toNumbers();
    const mean = Tensor.float32(x.shape, a.attributions.toNumbers().map((v, i) => (v + other[i]!) / 2));
    expect(maxAbsDiff(shap.attributions, mean)).toBeLessThan(1e-5 * Math.max(...mean.toNumbers().map(Math.abs)));
    await model.release();
  });

  it('refuses a single baseline (Captum asks for a set of at least two)', async () => {
    const model = await netModel(randomNet('Relu', 3, 4, 2, 5));
    await expect(new DeepLiftShap(model).attribute(Tensor.float32([1, 3]), { target: 0, baselines: Tensor.float32([1, 3]) })).rejects.toMatchObject({ code: 'bad-baseline' });
    await model.release();
  });
});
