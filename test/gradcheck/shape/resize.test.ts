import { describe, it } from 'vitest';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { expectGradientsMatch, rand, report } from '../harness.js';
import { expectSecondOrder, floats, ints } from './helpers.js';

function worst(rule: string, results: { worstRelError: number }[]): void {
  report(`[worst] ${rule} ${Math.max(...results.map((r) => r.worstRelError)).toExponential(2)}`);
}

/**
 * float32: onnxruntime's CPU Resize has no double kernel. Resize is linear in x, so central
 * differences have no truncation error at any step: a large step (ε = 0.5·(1 + max|x|)) makes
 * the float32 rounding of the outputs (~1e-7 relative, divided by 2ε) negligible, leaving
 * errors ~1e-6; a wrong interpolation weight moves the result by more than 1e-2.
 */
const TOL = 1e-4;
const EPS = 0.5;

interface ResizeCase {
  name: string;
  attrs: Record<string, number | string | number[]>;
  scales?: number[];
  sizes?: number[];
  roi?: number[];
  shape?: (string | number)[];
  feed?: number[];
}

const CASES: ResizeCase[] = [
  { name: 'nearest asymmetric floor ×2 (torch nearest)', attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, scales: [1, 1, 2, 2] },
  { name: 'nearest half_pixel round_prefer_floor, up and down', attrs: { mode: 'nearest' }, scales: [1, 1, 1.5, 0.5] },
  { name: 'nearest align_corners round_prefer_ceil, sizes', attrs: { mode: 'nearest', coordinate_transformation_mode: 'align_corners', nearest_mode: 'round_prefer_ceil' }, sizes: [0, 0, 5, 7] },
  { name: 'nearest tf_half_pixel_for_nn ceil', attrs: { mode: 'nearest', coordinate_transformation_mode: 'tf_half_pixel_for_nn', nearest_mode: 'ceil' }, scales: [1, 1, 2, 1.5] },
  { name: 'linear asymmetric', attrs: { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }, scales: [1, 1, 2, 1.5] },
  { name: 'linear half_pixel (torch bilinear)', attrs: { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }, scales: [1, 1, 2.5, 0.75] },
  { name: 'linear pytorch_half_pixel, sizes with a 1', attrs: { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' }, sizes: [0, 0, 1, 9] },
  { name: 'linear align_corners, sizes', attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, sizes: [0, 0, 7, 3] },
  { name: 'linear half_pixel antialias downsampling', attrs: { mode: 'linear', antialias: 1 }, scales: [1, 1, 0.5, 0.6] },
  { name: 'cubic half_pixel exclude_outside', attrs: { mode: 'cubic', cubic_coeff_a: -0.5, exclude_outside: 1 }, scales: [1, 1, 2, 1.75] },
  { name: 'cubic align_corners', attrs: { mode: 'cubic', coordinate_transformation_mode: 'align_corners' }, sizes: [0, 0, 4, 6] },
  { name: 'linear with axes attribute (negative)', attrs: { mode: 'linear', axes: [-1, 2] }, scales: [1.5, 2] },
  { name: 'tf_crop_and_resize with extrapolation', attrs: { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: 2.5 }, sizes: [0, 0, 5, 6], roi: [0, 0, -0.2, 0.1, 1, 1, 0.9, 1.3] },
  { name: '3-D volume, all spatial axes', attrs: { mode: 'linear' }, scales: [1, 1, 2, 0.5, 1.5], shape: ['batch', 2, 3, 4, 2], feed: [2, 2, 3, 4, 2] },
  // onnxruntime's linear mode refuses to resize the two outer axes; nearest may (the [pre, D_out, post] view).
  { name: 'nearest on the channel axis too', attrs: { mode: 'nearest', coordinate_transformation_mode: 'align_corners' }, scales: [1, 2, 1, 2] },
];

function buildCase(c: ResizeCase): (b: GraphBuilder) => string {
  return (b) => {
    const x = b.input('x', 'float32', c.shape ?? ['batch', 2, 3, 4]);
    const roi = c.roi ? floats(b, c.roi) : '';
    // sizes: 0 stands for the input's dim (batch and channels are fed as 2).
    if (c.sizes) return b.op('Resize', [x, roi, '', ints(b, c.sizes.map((s) => s || 2))], c.attrs);
    return b.op('Resize', [x, roi, floats(b, c.scales!)], c.attrs);
  };
}

describe('Resize (float32)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const feed = c.feed ?? [2, 2, 3, 4];
      worst(`Resize ${c.attrs.mode}`, await expectGradientsMatch({ build: buildCase(c), feeds: { x: rand(feed, { dtype: 'float32' }) }, tolerance: TOL, epsilon: EPS }));
    });
  }

  it('run-time sizes on a dynamic batch', async () => {
    for (const batch of [2, 3]) {
      worst('Resize linear', await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float32', ['batch', 2, 3, 4]);
          const sizes = b.op('Concat', [b.op('Shape', [x], { end: 2 }), ints(b, [5, 2])], { axis: 0 });
          return b.op('Resize', [x, '', '', sizes], { mode: 'linear' });
        },
        feeds: { x: rand([batch, 2, 3, 4], { dtype: 'float32' }) },
        tolerance: TOL,
        epsilon: EPS,
      }));
    }
  });

  it('second order: the backward (EyeLike, Resize of the identity, MatMul, Reshape)', async () => {
    const w = await expectSecondOrder({
      build: (b) => {
        const x = b.input('x', 'float32', ['batch', 2, 3, 4, 2]);
        return b.op('Resize', [x, '', floats(b, [1, 1, 2, 0.5, 1.5])], { mode: 'linear' });
      },
      feeds: { x: rand([2, 2, 3, 4, 2], { dtype: 'float32' }) },
      wrt: ['x'],
      tolerance: TOL,
      epsilon: EPS,
    });
    report(`[worst] second-order Resize ${w.toExponential(2)}`);
  });
});
