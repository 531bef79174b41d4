import { describe, expect, it } from 'vitest';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { expectGradientsMatch, rand, report } from '../harness.js';
import { backwardOps, expectSecondOrder, INT64_MAX, INT64_MIN, ints } from './helpers.js';

function worst(rule: string, results: { worstRelError: number }[]): void {
  report(`[worst] ${rule} ${Math.max(...results.map((r) => r.worstRelError)).toExponential(2)}`);
}

/** [starts, ends, axes?, steps?] cases on x: [batch, 5, 6]. */
const SLICES: { name: string; starts: (number | bigint)[]; ends: (number | bigint)[]; axes?: number[]; steps?: number[] }[] = [
  { name: 'unit, no axes', starts: [0, 1], ends: [INT64_MAX, -1] },
  { name: 'unit, negative axes and starts', starts: [-4, -100], ends: [5, 4], axes: [-1, 1] },
  { name: 'unit, clamped ends, batch axis', starts: [1, 2], ends: [INT64_MAX, 100], axes: [0, 2] },
  { name: 'explicit unit steps', starts: [1], ends: [-1], axes: [2], steps: [1] },
  { name: 'step 2', starts: [1, 0], ends: [INT64_MAX, 5], axes: [2, 1], steps: [2, 3] },
  { name: 'negative steps', starts: [-1, 4], ends: [INT64_MIN, 0], axes: [-1, 1], steps: [-2, -1] },
  { name: 'negative step on the batch axis', starts: [INT64_MAX], ends: [INT64_MIN], axes: [0], steps: [-1] },
  { name: 'out-of-range starts', starts: [100, -100], ends: [-100, 100], axes: [1, 2], steps: [-3, 4] },
];

describe('Slice (float64)', () => {
  for (const s of SLICES) {
    it(s.name, async () => {
      const build = (b: GraphBuilder) => {
        const x = b.input('x', 'float64', ['batch', 5, 6]);
        const inputs = [x, ints(b, s.starts), ints(b, s.ends)];
        if (s.axes || s.steps) inputs.push(s.axes ? ints(b, s.axes) : '');
        if (s.steps) inputs.push(ints(b, s.steps));
        return b.op('Slice', inputs);
      };
      for (const batch of [2, 3]) worst('Slice', await expectGradientsMatch({ build, feeds: { x: rand([batch, 5, 6]) } }));
      // Unit steps (omitted, or constant ones) become one Pad; other steps a ScatterElements.
      expect(backwardOps({ build })).toContain(s.steps?.some((st) => st !== 1) ? 'ScatterElements' : 'Pad');
    });
  }

  it('run-time starts and ends (int32)', async () => {
    const build = (b: GraphBuilder) => {
      const x = b.input('x', 'float64', ['batch', 5, 6]);
      const st = b.input('st', 'int32', [2]);
      const en = b.input('en', 'int32', [2]);
      return b.op('Slice', [x, st, en, b.constant('axes', new Tensor('int32', [2], Int32Array.from([2, -2])))]);
    };
    for (const [st, en] of [[[-3, 1], [6, 100]], [[0, -2], [-1, -1]]]) {
      const feeds = { x: rand([2, 5, 6]), st: new Tensor('int32', [2], Int32Array.from(st!)), en: new Tensor('int32', [2], Int32Array.from(en!)) };
      worst('Slice', await expectGradientsMatch({ build, feeds }));
    }
  });
});

describe('Pad (float64)', () => {
  it('constant: positive and negative pads, a constant value input, axes input', async () => {
    worst('Pad', await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 4, 5]);
        const c = b.input('c', 'float64', []);
        const p1 = b.op('Pad', [x, ints(b, [0, 1, -2, 0, 2, 1]), c]); // [batch, 7, 4]
        const p2 = b.op('Pad', [p1, ints(b, [-1, 2]), '', ints(b, [-2])]); // [batch, 8, 4]
        return p2;
      },
      feeds: { x: rand([3, 4, 5]), c: rand([]) },
    }));
  });

  for (const mode of ['reflect', 'edge', 'wrap']) {
    it(`${mode}: all axes, axes input, dynamic batch`, async () => {
      for (const batch of [2, 3]) {
        worst(`Pad ${mode}`, await expectGradientsMatch({
          build: (b) => {
            const x = b.input('x', 'float64', ['batch', 2, 4, 5]);
            const p1 = b.op('Pad', [x, ints(b, [0, 0, 3, 1, 0, 0, 2, 4])], { mode }); // [batch, 2, 9, 9]
            const p2 = b.op('Pad', [p1, ints(b, [1, 1, 2, 1]), '', ints(b, [-1, 1])], { mode }); // [batch, 4, 9, 12]
            return p2;
          },
          feeds: { x: rand([batch, 2, 4, 5]) },
        }));
      }
    });
  }

  it('reflect with run-time pads and axes', async () => {
    const build = (b: GraphBuilder) => {
      const x = b.input('x', 'float64', ['batch', 4, 5]);
      const pads = b.input('pads', 'int64', [4]);
      const axes = b.input('axes', 'int64', [2]);
      return b.op('Pad', [x, pads, '', axes], { mode: 'reflect' });
    };
    for (const [pads, axes] of [[[2, 0, 1, 3], [-1, 1]], [[0, 1, 3, 0], [1, 2]]]) {
      const feeds = { x: rand([2, 4, 5]), pads: Tensor.int64([4], pads!), axes: Tensor.int64([2], axes!) };
      worst('Pad reflect', await expectGradientsMatch({ build, feeds }));
    }
  });
});

describe('second order: Slice and Pad backward', () => {
  it('Slice (both paths) and Pad (all modes)', async () => {
    const w = await expectSecondOrder({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 5, 6]);
        const s1 = b.op('Slice', [x, ints(b, [1]), ints(b, [INT64_MAX]), ints(b, [-1])]);
        const p1 = b.op('Pad', [s1, ints(b, [0, 1, 2, 0, 0, 1])], { mode: 'reflect' });
        const p2 = b.op('Pad', [p1, ints(b, [0, 1, 0, 0, 2, 1])], { mode: 'edge' });
        const p3 = b.op('Pad', [p2, ints(b, [0, 1, 1, 0, 1, 1])], { mode: 'wrap' });
        return b.op('Pad', [p3, ints(b, [0, -1, 1, 0, 2, -1])]);
      },
      feeds: { x: rand([2, 5, 6]) },
      wrt: ['x'],
    });
    report(`[worst] second-order Slice/Pad ${w.toExponential(2)}`);
  });
});
