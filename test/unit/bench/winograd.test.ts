import { describe, expect, it } from 'vitest';
import { winogradConv, winogradMatrices, winogradResidual, type ConvShape } from '../../../bench/winograd.js';
import { prepareModel } from '../../../src/engine/prepare.js';
import { GradientSession } from '../../../src/engine/gradient-session.js';
import { GraphBuilder } from '../../../src/onnx/builder.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { Random } from '../../../src/util/random.js';

/** The conv benchmark's Winograd experiment must compute the convolution it is timed against. */
describe('Winograd convolution (bench/winograd.ts)', () => {
  it.each([
    [2, 3, [0, 1, -1]],
    [2, 5, [0, 1, -1, 2, -2]],
    [4, 5, [0, 1, -1, 2, -2, 0.5, -0.5]],
  ])('F(%i, %i) matrices compute a correlation exactly', (m, r, points) => {
    const matrices = winogradMatrices(m, r, points);
    expect(winogradResidual(matrices)).toBeLessThan(1e-12);
    expect(matrices.BT).toHaveLength(m + r - 1);
  });

  it('points that repeat are refused', () => {
    expect(() => winogradMatrices(2, 3, [0, 1, 1])).toThrow(/interpolation points/);
  });

  it('F(4×4, 5×5) in standard ops matches Conv, forward and both gradients, on a size that is not a multiple of 4', async () => {
    const shape: ConvShape = { batch: 2, inChannels: 3, outChannels: 4, size: 7, kernel: 5 };
    const random = new Random(7);
    const fill = (dims: number[]) => Tensor.float32(dims, Float32Array.from({ length: dims.reduce((a, d) => a * d, 1) }, () => random.normal()));
    const feeds = { x: fill([2, 3, 7, 7]), w: fill([4, 3, 5, 5]), r: fill([2, 4, 7, 7]) };
    const results = [];
    for (const kind of ['conv', 'winograd']) {
      const b = new GraphBuilder();
      const [x, w, r] = [b.input('x', 'float32', [2, 3, 7, 7]), b.input('w', 'float32', [4, 3, 5, 5]), b.input('r', 'float32', [2, 4, 7, 7])];
      const y = kind === 'conv' ? b.op('Conv', [x, w], { pads: [2, 2, 2, 2], kernel_shape: [5, 5] }) : winogradConv(b, x, w, shape);
      const loss = b.op('ReduceSum', [b.op('Mul', [y, r])], { keepdims: 0 });
      b.output(loss);
      const { model } = await prepareModel(b.model({ opset: 17 }));
      const session = await GradientSession.create(model, { of: [loss], wrt: ['x', 'w'], seed: 'ones' }, { deterministic: true });
      results.push(await session.run(feeds));
      await session.release();
    }
    const [conv, winograd] = results as [Awaited<ReturnType<GradientSession['run']>>, Awaited<ReturnType<GradientSession['run']>>];
    const close = (a: Tensor, b: Tensor) => {
      const [p, q] = [a.data as Float32Array, b.data as Float32Array];
      const scale = Math.max(...p.map(Math.abs));
      return Math.max(...p.map((v, i) => Math.abs(v - q[i]!))) / scale;
    };
    expect(close(Object.values(conv.outputs)[0]!, Object.values(winograd.outputs)[0]!)).toBeLessThan(1e-5);
    expect(close(conv.gradients.x!, winograd.gradients.x!)).toBeLessThan(1e-5);
    expect(close(conv.gradients.w!, winograd.gradients.w!)).toBeLessThan(1e-5);
  });
});
