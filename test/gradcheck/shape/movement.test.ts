import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { expectGradientsMatch, rand, report } from '../harness.js';
import { backwardOps, expectSecondOrder, ints } from './helpers.js';

/** Worst relative error per rule, printed at the end of each test (for the family report). */
function worst(rule: string, results: { worstRelError: number }[]): void {
  report(`[worst] ${rule} ${Math.max(...results.map((r) => r.worstRelError)).toExponential(2)}`);
}

describe('reshapes and transposes (float64)', () => {
  it('Reshape, Flatten, Squeeze, Unsqueeze on a dynamic batch', async () => {
    for (const batch of [2, 3]) {
      const r = await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float64', ['batch', 3, 4]);
          const r1 = b.op('Reshape', [x, ints(b, [0, -1])]); // [batch, 12]
          const r2 = b.op('Reshape', [r1, ints(b, [-1, 1, 2, 6])]); // [batch, 1, 2, 6]
          const s1 = b.op('Squeeze', [r2, ints(b, [-3])]); // [batch, 2, 6]
          const u1 = b.op('Unsqueeze', [s1, ints(b, [-1, 1])]); // [batch, 1, 2, 6, 1]
          const f1 = b.op('Flatten', [u1], { axis: -2 }); // [batch*2, 6]
          const w = b.input('w', 'float64', [1, 3, 1, 2, 1]);
          const s2 = b.op('Squeeze', [w]); // all 1s: [3, 2]
          return [f1, b.op('Flatten', [s2], { axis: 0 })]; // [1, 6]
        },
        feeds: { x: rand([batch, 3, 4]), w: rand([1, 3, 1, 2, 1]) },
      });
      worst('Reshape/Flatten/Squeeze/Unsqueeze', r);
    }
  });

  it('Transpose with a permutation and the default reversal', async () => {
    const r = await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 3, 4, 5]);
        const t = b.op('Transpose', [x], { perm: [2, 0, 3, 1] });
        return b.op('Transpose', [t]);
      },
      feeds: { x: rand([3, 3, 4, 5]) },
    });
    worst('Transpose', r);
  });
});

describe('Expand and Tile (float64)', () => {
  it('Expand broadcasts both ways (x larger on some axes, shape on others, more dims)', async () => {
    const r = await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float64', [3, 1, 4]);
        const w = b.input('w', 'float64', ['batch', 1]);
        const y = b.op('Expand', [x, ints(b, [2, 1, 5, 1])]); // [2, 3, 5, 4]
        const z = b.op('Expand', [w, ints(b, [1, 6])]); // [batch, 6]: shape smaller on axis 0
        return [y, z];
      },
      feeds: { x: rand([3, 1, 4]), w: rand([2, 1]) },
    });
    worst('Expand', r);
  });

  it('Expand with an unknown input dim that is 1 at run time (run-time axes)', async () => {
    const build = (b: import('../../../src/onnx/builder.js').GraphBuilder) => {
      const x = b.input('x', 'float64', [null, 4]);
      const s = b.input('s', 'int64', [2]);
      return b.op('Expand', [x, s]);
    };
    expect(backwardOps({ build })).toContain('NonZero');
    for (const [rows, target] of [[1, [3, 4]], [3, [3, 4]], [1, [2, 1]]] as const) {
      const r = await expectGradientsMatch({ build, feeds: { x: rand([rows, 4]), s: Tensor.int64([2], [...target]) } });
      worst('Expand', r);
    }
  });

  it('Tile with constant repeats on a dynamic batch, and run-time repeats', async () => {
    const r1 = await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 2, 3]);
        return b.op('Tile', [x, ints(b, [1, 3, 2])]);
      },
      feeds: { x: rand([3, 2, 3]) },
    });
    worst('Tile', r1);
    const build = (b: import('../../../src/onnx/builder.js').GraphBuilder) => {
      const x = b.input('x', 'float64', ['batch', 2, 3]);
      const reps = b.input('reps', 'int64', [3]);
      return b.op('Tile', [x, reps]);
    };
    for (const reps of [[2, 1, 3], [3, 2, 1]]) {
      const r2 = await expectGradientsMatch({ build, feeds: { x: rand([2, 2, 3]), reps: Tensor.int64([3], reps) } });
      worst('Tile', r2);
    }
  });
});

describe('Concat and Split (float64)', () => {
  it('Concat on a static axis (negative) and on the dynamic batch axis, some inputs only', async () => {
    for (const wrt of [['a', 'b', 'c'], ['b'], ['a', 'c']]) {
      const r = await expectGradientsMatch({
        build: (b) => {
          const a = b.input('a', 'float64', ['batch', 3, 2]);
          const c = b.input('b', 'float64', ['batch', 3, 4]);
          const d = b.input('c', 'float64', ['batch', 3, 1]);
          const y = b.op('Concat', [a, c, d], { axis: -1 }); // [batch, 3, 7]
          const z = b.op('Concat', [a, b.op('Slice', [c, ints(b, [0]), ints(b, [2]), ints(b, [2])])], { axis: 0 }); // [2·batch, 3, 2]
          return [y, z];
        },
        feeds: { a: rand([3, 3, 2]), b: rand([3, 3, 4]), c: rand([3, 3, 1]) },
        wrt,
      });
      worst('Concat', r);
    }
  });

  it('Split with sizes, num_outputs, a dynamic axis, and outputs without gradient', async () => {
    for (const used of [[0, 1, 2], [0, 2], [1]]) {
      const r = await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float64', ['batch', 6]);
          const parts = b.op('Split', [x, ints(b, [1, 2, 3])], { axis: -1 }, { outputs: 3 });
          return used.map((i) => parts[i]!);
        },
        feeds: { x: rand([2, 6]) },
      });
      worst('Split', r);
    }
    for (const batch of [2, 3]) {
      const r = await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float64', ['batch', 4]);
          const [p, q] = b.op('Split', [x], { axis: 0, num_outputs: 2 }, { outputs: 2 });
          return [b.op('Mul', [p!, p!]), q!];
        },
        feeds: { x: rand([batch, 4]) },
      });
      worst('Split', r);
    }
  });
});

describe('DepthToSpace and SpaceToDepth (float64)', () => {
  it('DCR, CRD and SpaceToDepth on a dynamic batch', async () => {
    for (const mode of ['DCR', 'CRD']) {
      const r = await expectGradientsMatch({
        build: (b) => {
          const x = b.input('x', 'float64', ['batch', 8, 2, 3]);
          return b.op('DepthToSpace', [x], { blocksize: 2, mode }); // [batch, 2, 4, 6]
        },
        feeds: { x: rand([2, 8, 2, 3]) },
      });
      worst(`DepthToSpace ${mode}`, r);
    }
    const r = await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 2, 4, 6]);
        return b.op('SpaceToDepth', [x], { blocksize: 2 });
      },
      feeds: { x: rand([3, 2, 4, 6]) },
    });
    worst('SpaceToDepth', r);
  });
});

describe('second order: the backward of these rules is differentiable', () => {
  it('reshape family, Transpose, Expand, Tile, Concat, Split, DepthToSpace', async () => {
    const w = await expectSecondOrder({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 8, 2, 3]);
        const d = b.op('DepthToSpace', [x], { blocksize: 2, mode: 'CRD' }); // [batch, 2, 4, 6]
        const s = b.op('SpaceToDepth', [d], { blocksize: 2 }); // [batch, 8, 2, 3]
        const t = b.op('Transpose', [s], { perm: [0, 2, 3, 1] }); // [batch, 2, 3, 8]
        const [p, q] = b.op('Split', [t, ints(b, [3, 5])], { axis: -1 }, { outputs: 2 });
        const c = b.op('Concat', [q!, p!], { axis: -1 });
        const e = b.op('Expand', [b.op('Unsqueeze', [c, ints(b, [1])]), ints(b, [1, 2, 1, 1, 1])]);
        const f = b.op('Tile', [b.op('Flatten', [e], { axis: 2 }), ints(b, [1, 2])]);
        return b.op('Reshape', [f, ints(b, [0, 4, -1])]);
      },
      feeds: { x: rand([2, 8, 2, 3]) },
      wrt: ['x'],
    });
    report(`[worst] second-order movement ${w.toExponential(2)}`);
  });
});
