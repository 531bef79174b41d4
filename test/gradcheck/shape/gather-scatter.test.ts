import { describe, it } from 'vitest';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { expectGradientsMatch, rand, report } from '../harness.js';
import { declare, expectSecondOrder, INT64_MAX, ints } from './helpers.js';

function worst(rule: string, results: { worstRelError: number }[]): void {
  report(`[worst] ${rule} ${Math.max(...results.map((r) => r.worstRelError)).toExponential(2)}`);
}

function int32(b: GraphBuilder, values: number[], shape: number[]): string {
  return b.constant('i32', new Tensor('int32', shape, Int32Array.from(values)));
}

describe('Gather (float64)', () => {
  it('axis 0: repeated, negative, 2-D and scalar indices (embedding-like)', async () => {
    for (const batch of [2, 3]) {
      worst('Gather', await expectGradientsMatch({
        build: (b) => {
          const w = b.input('w', 'float64', [5, 3]);
          const x = b.input('x', 'float64', ['batch', 4]);
          const e = b.op('Gather', [w, ints(b, [1, 4, 1, -1, 0, 1], [2, 3])]); // [2, 3, 3]
          const s = b.op('Gather', [w, ints(b, [-2], [])]); // [3]
          const r = b.op('Gather', [x, ints(b, [0, -1, 0])]); // [3, 4]: rows of a dynamic batch
          return [e, s, r];
        },
        feeds: { w: rand([5, 3]), x: rand([batch, 4]) },
      }));
    }
  });

  it('axis > 0 and negative, dynamic leading dims, int32 indices', async () => {
    for (const batch of [2, 3]) {
      worst('Gather', await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float64', ['batch', 4, 5, 2]);
          const g1 = b.op('Gather', [x, ints(b, [3, -1, 0, 3], [2, 2])], { axis: 2 }); // [batch, 4, 2, 2, 2]
          const g2 = b.op('Gather', [x, int32(b, [1, 1, -4], [3])], { axis: -3 }); // [batch, 3, 5, 2]
          const g3 = b.op('Gather', [x, ints(b, [1], [])], { axis: -1 }); // [batch, 4, 5]
          return [g1, g2, g3];
        },
        feeds: { x: rand([batch, 4, 5, 2]) },
      }));
    }
  });
});

describe('GatherElements and GatherND (float64)', () => {
  it('GatherElements on axes 0 and -1 with repeated and negative indices', async () => {
    worst('GatherElements', await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float64', [3, 4]);
        const a = b.op('GatherElements', [x, ints(b, [0, 2, -1, 0, 0, 0, 1, 2], [2, 4])], { axis: 0 }); // [2, 4]
        const c = b.op('GatherElements', [x, ints(b, [3, 3, -4, 1, 0, 2, 2, 2, -1], [3, 3])], { axis: -1 }); // [3, 3]
        return [a, c];
      },
      feeds: { x: rand([3, 4]) },
    }));
  });

  it('GatherND with batch_dims 0, 1 and 2, repeated tuples, dynamic batch', async () => {
    for (const batch of [2, 3]) {
      const idx1 = batch === 2 ? [0, 1, 2, -1, 0, 1, 0, 1] : [0, 1, 2, -1, 0, 1, 0, 1, 1, 1, 1, 1];
      worst('GatherND', await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float64', ['batch', 3, 4]);
          const w = b.input('w', 'float64', [2, 3, 4]);
          const g0 = b.op('GatherND', [w, ints(b, [1, 2, -1, 0, 1, 2], [3, 2])]); // [3, 4]
          const g1 = b.op('GatherND', [x, ints(b, idx1, [batch, 2, 2])], { batch_dims: 1 }); // [batch, 2]
          const g2 = b.op('GatherND', [w, ints(b, [1, 1, 0, 3, 3, 2], [2, 3, 1])], { batch_dims: 2 }); // [2, 3]
          return [g0, g1, g2];
        },
        feeds: { x: rand([batch, 3, 4]), w: rand([2, 3, 4]) },
      }));
    }
  });
});

describe('ScatterElements and ScatterND (float64)', () => {
  it('ScatterElements none (distinct indices) and add (repeated)', async () => {
    for (const reduction of ['none', 'add']) {
      const idx = reduction === 'none' ? [2, 0, 1, 1, 2, 0] : [2, 2, -1, 0, 0, 0];
      worst(`ScatterElements ${reduction}`, await expectGradientsMatch({
        build: (b) => {
          const d = b.input('d', 'float64', [3, 4]);
          const u = b.input('u', 'float64', [2, 3]);
          const y = b.op('ScatterElements', [d, ints(b, idx, [2, 3]), u], { axis: -1, reduction });
          return declare(b, y, 'float64', [3, 4]);
        },
        feeds: { d: rand([3, 4]), u: rand([2, 3]) },
      }));
    }
  });

  it('ScatterND none (distinct) and add (repeated), slices and elements', async () => {
    for (const reduction of ['none', 'add']) {
      const idx = reduction === 'none' ? [2, 0, -1, 1] : [2, 0, -1, 0];
      worst(`ScatterND ${reduction}`, await expectGradientsMatch({
        build: (b) => {
          const d = b.input('d', 'float64', [4, 3, 2]);
          const u = b.input('u', 'float64', [2, 2]);
          const v = b.input('v', 'float64', [2, 3, 2]);
          const y1 = declare(b, b.op('ScatterND', [d, ints(b, idx, [2, 2]), u], { reduction }), 'float64', [4, 3, 2]);
          const y2 = b.op('ScatterND', [y1, ints(b, reduction === 'none' ? [1, 3] : [1, 1], [2, 1]), v], { reduction });
          return declare(b, y2, 'float64', [4, 3, 2]);
        },
        feeds: { d: rand([4, 3, 2]), u: rand([2, 2]), v: rand([2, 3, 2]) },
      }));
    }
  });
});

describe('second order: Gather family, strided Slice and Scatter backward', () => {
  it('Gather (axis 0 and 1), GatherElements, GatherND batch_dims, Slice with steps', async () => {
    const w = await expectSecondOrder({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 4, 3]);
        return [
          b.op('Gather', [x, ints(b, [1, 1, -1])], { axis: 1 }),
          b.op('Gather', [x, ints(b, [1, 0, 1])], { axis: 0 }),
          b.op('GatherElements', [x, ints(b, [1, 0, 1], [1, 1, 3])], { axis: 1 }),
          b.op('GatherND', [x, ints(b, [1, 0, 1, 1], [2, 1, 2])], { batch_dims: 1 }),
          b.op('Slice', [x, ints(b, [-1]), ints(b, [-INT64_MAX]), ints(b, [1]), ints(b, [-2])]),
        ];
      },
      feeds: { x: rand([2, 4, 3]) },
      wrt: ['x'],
    });
    report(`[worst] second-order Gather family ${w.toExponential(2)}`);
  });

  it('ScatterElements and ScatterND, none and add', async () => {
    for (const reduction of ['none', 'add']) {
      const w = await expectSecondOrder({
        build: (b) => {
          const d = b.input('d', 'float64', [3, 4]);
          const u = b.input('u', 'float64', [2, 3]);
          const v = b.input('v', 'float64', [2, 4]);
          return [
            b.op('ScatterElements', [d, ints(b, [2, 0, 1, 1, 2, 0], [2, 3]), u], { axis: -1, reduction }),
            b.op('ScatterND', [d, ints(b, [2, 0], [2, 1]), v], { reduction }),
          ];
        },
        feeds: { d: rand([3, 4]), u: rand([2, 3]), v: rand([2, 4]) },
        wrt: ['d', 'u', 'v'],
      });
      report(`[worst] second-order Scatter ${reduction} ${w.toExponential(2)}`);
    }
  });
});

describe('TopK (float64)', () => {
  it('values gradient scatters back to the selected elements, any axis, dynamic batch', async () => {
    for (const axis of [-1, 1]) {
      await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float64', ['batch', 5, 6]);
          const [values] = b.op('TopK', [x, b.constant('k', Tensor.int64([1], [3]))], { axis }, { outputs: 2 });
          return values!;
        },
        feeds: { x: rand([3, 5, 6]) },
      });
    }
  });
});
