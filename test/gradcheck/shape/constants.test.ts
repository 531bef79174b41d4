/**
 * The fast paths rules take when GradContext.constantValue can read constant inputs (constant
 * pads, unit-step Slice as Pad, skipped axes) must give the same gradients as central differences.
 */
import { describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { expectGradientsMatch, rand, report } from '../harness.js';
import { backwardOps, floats, INT64_MAX, INT64_MIN, ints } from './helpers.js';


function worst(rule: string, results: { worstRelError: number }[]): void {
  report(`[worst] ${rule} (constants) ${Math.max(...results.map((r) => r.worstRelError)).toExponential(2)}`);
}

describe('fast paths with constant inputs (float64)', () => {
  it('Slice with explicit unit steps becomes one Pad with constant pads', async () => {
    const build = (b: GraphBuilder) => {
      const x = b.input('x', 'float64', [4, 5, 6]);
      return b.op('Slice', [x, ints(b, [-4, 1, -100]), ints(b, [INT64_MAX, -1, 3]), ints(b, [-1, 0, 1]), ints(b, [1, 1, 1])]);
    };
    expect(backwardOps({ build })).toEqual(['Pad', 'Identity']);
    worst('Slice', await expectGradientsMatch({ build, feeds: { x: rand([4, 5, 6]) } }));
  });

  it('Slice on a dynamic batch axis and with negative steps', async () => {
    for (const [starts, ends, steps] of [[[1], [INT64_MAX], [1]], [[INT64_MAX], [INT64_MIN], [-2]]] as const) {
      const build = (b: GraphBuilder) => {
        const x = b.input('x', 'float64', ['batch', 5]);
        return b.op('Slice', [x, ints(b, [...starts]), ints(b, [...ends]), ints(b, [0]), ints(b, [...steps])]);
      };
      expect(backwardOps({ build })).toContain(steps[0] === 1 ? 'Pad' : 'ScatterElements');
      worst('Slice', await expectGradientsMatch({ build, feeds: { x: rand([3, 5]) } }));
    }
  });

  for (const mode of ['constant', 'reflect', 'edge', 'wrap']) {
    it(`Pad ${mode} with constant pads, some axes unpadded`, async () => {
      const build = (b: GraphBuilder) => {
        const x = b.input('x', 'float64', ['batch', 3, 4]);
        const p = b.op('Pad', [x, ints(b, [0, 2, 0, 0, 0, 3])], { mode });
        return b.op('Pad', [p, ints(b, [1, 2]), '', ints(b, [-2])], { mode });
      };
      const ops = backwardOps({ build });
      expect(ops).not.toContain('Neg');
      expect(ops).not.toContain('ScatterElements');
      for (const batch of [2, 3]) worst(`Pad ${mode}`, await expectGradientsMatch({ build, feeds: { x: rand([batch, 3, 4]) } }));
    });
  }

  it('Tile with constant repeats on a dynamic batch', async () => {
    worst('Tile', await expectGradientsMatch({
      build: (b) => b.op('Tile', [b.input('x', 'float64', ['batch', 2, 3]), ints(b, [2, 1, 3])]),
      feeds: { x: rand([3, 2, 3]) },
    }));
  });

  it('Resize with constant scales skips the axes of scale 1', async () => {
    const build = (b: GraphBuilder) => b.op('Resize', [b.input('x', 'float32', ['batch', 2, 3, 4]), '', floats(b, [1, 1, 2, 1.5])], { mode: 'linear' });
    expect(backwardOps({ build }).filter((o) => o === 'MatMul')).toHaveLength(2);
    worst('Resize', await expectGradientsMatch({ build, feeds: { x: rand([3, 2, 3, 4], { dtype: 'float32' }) }, tolerance: 1e-4, epsilon: 0.5 }));
  });

  it('Resize nearest by whole factors is a block sum (torch nearest and nearest-exact)', async () => {
    const cases = [
      { ctm: 'asymmetric', nearest: 'floor', scales: [1, 1, 2, 3], block: true },
      { ctm: 'half_pixel', nearest: 'round_prefer_floor', scales: [1, 1, 3, 2], block: true },
      { ctm: 'pytorch_half_pixel', nearest: 'round_prefer_ceil', scales: [1, 2, 1, 4], block: true },
      { ctm: 'asymmetric', nearest: 'round_prefer_floor', scales: [1, 1, 3, 2], block: false },
      { ctm: 'half_pixel', nearest: 'floor', scales: [1, 1, 2, 2], block: false },
    ];
    for (const c of cases) {
      const build = (b: GraphBuilder) => b.op('Resize', [b.input('x', 'float32', ['batch', 2, 3, 4]), '', floats(b, c.scales)], {
        mode: 'nearest', coordinate_transformation_mode: c.ctm, nearest_mode: c.nearest,
      });
      expect(backwardOps({ build }).includes('MatMul')).toBe(!c.block);
      worst('Resize nearest', await expectGradientsMatch({ build, feeds: { x: rand([3, 2, 3, 4], { dtype: 'float32' }) }, tolerance: 1e-4, epsilon: 0.5 }));
    }
  });
});
