import { describe, expect, it } from 'vitest';
import { convolutionGradients, winogradMatrices, winogradResidual, type ConvShape } from '../../../bench/winograd.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { Random } from '../../../src/util/random.js';
import { relError } from '../../helpers/compare.js';

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
    const [conv, winograd] = await Promise.all((['direct', 'winograd'] as const).map(async (kind) => {
      const { session, loss, y } = await convolutionGradients(kind, shape, { deterministic: true });
      const { outputs, gradients } = await session.run(feeds);
      await session.release();
      return { loss: outputs[loss]!, y: outputs[y]!, dx: gradients.x!, dw: gradients.w! };
    }));
    expect(relError(winograd!.loss, conv!.loss)).toBeLessThan(1e-5);
    expect(relError(winograd!.y, conv!.y)).toBeLessThan(1e-5);
    expect(relError(winograd!.dx, conv!.dx)).toBeLessThan(1e-5);
    expect(relError(winograd!.dw, conv!.dw)).toBeLessThan(1e-5);
  });
});
