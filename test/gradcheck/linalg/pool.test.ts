/**
 * Pooling. onnxruntime's CPU MaxPool has a double kernel, so MaxPool is checked against central
 * differences in float64 (tolerance 1e-6; random normal inputs keep ties ≥ ε apart). Average/Lp
 * and the global pools are float32-only there; like Conv they are checked against an
 * independent float64 reference (reference.ts) to 1e-5 of the largest entry (float32 rounding of
 * sums of ≤ 30 terms) and against float32 central differences (AveragePool is linear: exact at
 * any step, so ε = 0.1 and tolerance 1e-3 as for Conv; LpPool is smooth away from all-zero
 * windows and GlobalMaxPool piecewise linear: ε = 1e-3 keeps the step inside one piece and the
 * curvature term ~1e-5, float32 rounding of f / 2ε stays ~1e-4: tolerance 2e-3). Ties (MaxPool, GlobalMaxPool) have no derivative, so they
 * are checked against the reference's routing to the first maximum only.
 */
import { describe, expect, it } from 'vitest';
import type { Dim } from '../../../src/onnx/ir/value.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { expectGradientsMatch, rand } from '../harness.js';
import { asNumbers, expectMatchesReference, randInts, randn, report, worstOf } from './helpers.js';
import * as ref from './reference.js';

type Op = 'MaxPool' | 'AveragePool' | 'LpPool' | 'GlobalAveragePool' | 'GlobalMaxPool' | 'GlobalLpPool';

interface PoolCase {
  name: string;
  x: number[];
  declared?: Dim[];
  attrs: Record<string, number | string | number[]>;
  /** Skip central differences (ties, or covered elsewhere). */
  noFd?: boolean;
  /** Inputs: random normal (default), small integers (ties), or with an all-zero block. */
  data?: 'ties' | 'zeros';
}

const KIND: Record<Op, ref.PoolKind> = {
  MaxPool: 'max', AveragePool: 'average', LpPool: 'lp', GlobalAveragePool: 'average', GlobalMaxPool: 'max', GlobalLpPool: 'lp',
};

async function checkPool(op: Op, c: PoolCase): Promise<number> {
  const dtype = op === 'MaxPool' ? 'float64' : 'float32';
  let x = c.data === 'ties' ? randInts(c.x, 3, dtype) : randn(c.x, dtype);
  if (c.data === 'zeros') {
    // Zero the first half of every plane: whole windows are 0 there (LpPool's y = 0).
    const plane = c.x.slice(2).reduce((a, b) => a * b, 1);
    const data = Float32Array.from(x.data as Float32Array);
    for (let i = 0; i < data.length; i++) if (i % plane < plane / 2) data[i] = 0;
    x = Tensor.float32(c.x, data);
  }
  const global = op.startsWith('Global');
  const a = c.attrs;
  const attrs: ref.PoolAttrs = global
    ? { kernel: c.x.slice(2), p: a.p as number | undefined }
    : {
        kernel: a.kernel_shape as number[],
        strides: a.strides as number[] | undefined,
        dilations: a.dilations as number[] | undefined,
        pads: a.pads as number[] | undefined,
        autoPad: a.auto_pad as ref.AutoPad | undefined,
        ceilMode: a.ceil_mode === 1,
        countIncludePad: a.count_include_pad === 1,
        p: a.p as number | undefined,
      };
  const fwd = ref.pool(KIND[op], asNumbers(x), c.x, attrs);
  const seed = randn(fwd.yShape, dtype);
  const r = ref.pool(KIND[op], asNumbers(x), c.x, attrs, asNumbers(seed));
  const build = (b: Parameters<Parameters<typeof expectGradientsMatch>[0]['build']>[0]) => b.op(op, [b.input('x', dtype, c.declared ?? c.x)], c.attrs);
  const worst = await expectMatchesReference({
    build, feeds: { x }, wrt: ['x'], seed,
    forward: r.y, forwardShape: r.yShape, gradients: { x: r.dx },
    tolerance: dtype === 'float64' ? 1e-12 : 1e-5,
  });
  if (!c.noFd && c.data !== 'ties') {
    // Linear maps take a large step; piecewise or curved ones a small one (see the top).
    const linear = op === 'AveragePool' || op === 'GlobalAveragePool';
    const results = await expectGradientsMatch({
      build, feeds: { x },
      ...(dtype === 'float32' ? { tolerance: linear ? 1e-3 : 2e-3, epsilon: linear ? 0.1 : 1e-3 } : {}),
    });
    report(`${op} ${c.name}`, `${dtype}-central-diff`, worstOf(results));
  }
  report(`${op} ${c.name}`, 'float64-reference', worst);
  return worst;
}

const MAX_CASES: PoolCase[] = [
  { name: '1-D, stride 2, pads', x: [2, 3, 11], declared: ['batch', 3, 11], attrs: { kernel_shape: [3], strides: [2], pads: [1, 1] } },
  { name: '2-D, overlapping windows, asymmetric pads', x: [2, 2, 7, 8], declared: ['batch', 2, 7, 8], attrs: { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1] } },
  { name: '2-D, dilations', x: [2, 2, 8, 7], attrs: { kernel_shape: [2, 2], strides: [2, 1], dilations: [2, 3], pads: [1, 1, 0, 1] } },
  { name: '2-D, ceil_mode (last window overhangs)', x: [3, 2, 8, 7], declared: ['batch', 2, 8, 7], attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 } },
  { name: '2-D, storage_order = 1', x: [2, 3, 6, 5], attrs: { kernel_shape: [2, 3], strides: [2, 1], storage_order: 1 } },
  { name: '2-D, SAME_UPPER / stride 2', x: [2, 2, 7, 6], attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' } },
  { name: '2-D, SAME_LOWER / stride 2', x: [2, 2, 7, 6], attrs: { kernel_shape: [2, 3], strides: [2, 2], auto_pad: 'SAME_LOWER' } },
  { name: '3-D, strides, pads', x: [2, 2, 5, 4, 6], declared: ['batch', 2, 5, 4, 6], attrs: { kernel_shape: [2, 2, 3], strides: [1, 2, 2], pads: [1, 0, 1, 0, 1, 1] } },
  { name: 'dynamic H, W', x: [2, 2, 9, 7], declared: ['batch', 2, 'h', 'w'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 } },
  { name: 'ties go to the first maximum (overlapping windows)', x: [2, 3, 7, 7], attrs: { kernel_shape: [3, 3], strides: [1, 2], pads: [1, 1, 1, 1] }, data: 'ties' },
  { name: 'ties, storage_order = 1, dilations', x: [2, 2, 7, 6], attrs: { kernel_shape: [2, 2], dilations: [2, 1], storage_order: 1 }, data: 'ties' },
  // Tiled windows (kernel = strides, no pads), LeNet's pooling: ties, and sizes the windows do not divide.
  { name: 'tiled 2×2 (LeNet pooling)', x: [2, 3, 8, 6], declared: ['batch', 3, 8, 6], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
  { name: 'tiled 2×2, ties go to the first maximum in window order', x: [2, 3, 8, 6], attrs: { kernel_shape: [2, 2], strides: [2, 2] }, data: 'ties' },
  { name: 'tiled 2×3, trailing rows and columns no window reaches', x: [2, 2, 7, 8], attrs: { kernel_shape: [2, 3], strides: [2, 3] } },
  { name: 'tiled 3×3, ties, dynamic H and W', x: [2, 2, 10, 9], declared: ['batch', 2, 'h', 'w'], attrs: { kernel_shape: [3, 3], strides: [3, 3], auto_pad: 'VALID' }, data: 'ties' },
];

const AVG_CASES: PoolCase[] = [
  { name: '1-D, pads, count_include_pad = 0', x: [2, 3, 10], declared: ['batch', 3, 10], attrs: { kernel_shape: [3], strides: [2], pads: [1, 1] } },
  { name: '1-D, pads, count_include_pad = 1', x: [2, 3, 10], attrs: { kernel_shape: [3], strides: [2], pads: [1, 1], count_include_pad: 1 } },
  { name: '2-D, no pads, uniform divisor, trailing rows dropped', x: [2, 2, 7, 8], declared: ['batch', 2, 7, 8], attrs: { kernel_shape: [2, 3], strides: [2, 2] } },
  { name: '2-D, ceil_mode overhang, count_include_pad = 0', x: [2, 2, 8, 7], attrs: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 } },
  { name: '2-D, ceil_mode overhang past the pad, count_include_pad = 1', x: [2, 2, 8, 7], attrs: { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 1, 0], ceil_mode: 1, count_include_pad: 1 } },
  { name: '2-D, asymmetric pads, strides, count_include_pad = 1', x: [2, 2, 7, 6], attrs: { kernel_shape: [3, 2], strides: [2, 1], pads: [2, 0, 1, 1], count_include_pad: 1 } },
  { name: '2-D, dilations, pads', x: [2, 2, 8, 8], attrs: { kernel_shape: [2, 2], strides: [2, 1], dilations: [2, 2], pads: [1, 0, 1, 1] } },
  { name: '2-D, SAME_UPPER, count_include_pad = 0', x: [2, 2, 7, 6], attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' } },
  { name: '2-D, SAME_LOWER, count_include_pad = 1', x: [2, 2, 7, 6], attrs: { kernel_shape: [2, 3], strides: [2, 2], auto_pad: 'SAME_LOWER', count_include_pad: 1 } },
  { name: '3-D, pads, strides', x: [2, 2, 5, 4, 6], declared: ['batch', 2, 5, 4, 6], attrs: { kernel_shape: [2, 2, 3], strides: [2, 1, 2], pads: [1, 0, 1, 0, 1, 1] } },
  { name: 'dynamic H, W, pads, count_include_pad = 0', x: [2, 2, 9, 7], declared: ['batch', 2, 'h', 'w'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } },
  { name: 'dynamic H, ceil_mode, count_include_pad = 1', x: [3, 2, 8, 7], declared: ['batch', 2, 'h', 7], attrs: { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 0, 1], ceil_mode: 1, count_include_pad: 1 } },
  { name: 'dynamic H, ceil_mode window overhanging, no pads (run-time crop)', x: [2, 2, 8, 7], declared: ['batch', 2, 'h', 7], attrs: { kernel_shape: [3, 2], strides: [2, 2], ceil_mode: 1 } },
  { name: 'dynamic H, W, SAME_UPPER stride 2 (pads at run time)', x: [2, 2, 9, 6], declared: ['batch', 2, 'h', 'w'], attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' } },
];

const LP_CASES: PoolCase[] = [
  { name: 'p = 2, 2-D, pads, strides', x: [2, 2, 7, 6], declared: ['batch', 2, 7, 6], attrs: { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 1, 1] } },
  { name: 'p = 1, 1-D', x: [2, 3, 9], attrs: { kernel_shape: [3], strides: [2], p: 1 } },
  { name: 'p = 3, 2-D, ceil_mode, dilations', x: [2, 2, 8, 7], attrs: { kernel_shape: [2, 2], strides: [2, 2], dilations: [1, 2], ceil_mode: 1, p: 3 } },
  { name: 'p = 2, dynamic H, ceil_mode overhang', x: [2, 2, 8, 7], declared: ['batch', 2, 'h', 7], attrs: { kernel_shape: [3, 2], strides: [2, 2], ceil_mode: 1 } },
  { name: 'p = 4, dynamic H', x: [2, 2, 7, 6], declared: ['batch', 2, 'h', 6], attrs: { kernel_shape: [2, 2], strides: [2, 2], p: 4 } },
  { name: 'p = 2 with all-zero windows (gradient 0, not NaN)', x: [2, 2, 6, 6], attrs: { kernel_shape: [2, 2], strides: [2, 2] }, data: 'zeros', noFd: true },
];

const GLOBAL_CASES: [Op, PoolCase][] = [
  ['GlobalAveragePool', { name: '2-D, dynamic batch', x: [3, 4, 5, 6], declared: ['batch', 4, 5, 6], attrs: {} }],
  ['GlobalAveragePool', { name: '1-D, dynamic length', x: [2, 3, 7], declared: ['batch', 3, 'l'], attrs: {} }],
  ['GlobalAveragePool', { name: '3-D, dynamic H, W', x: [2, 2, 3, 4, 5], declared: ['batch', 2, 3, 'h', 'w'], attrs: {} }],
  ['GlobalMaxPool', { name: '2-D, dynamic batch', x: [3, 4, 5, 6], declared: ['batch', 4, 5, 6], attrs: {} }],
  ['GlobalMaxPool', { name: '2-D, dynamic H, W', x: [2, 3, 4, 5], declared: ['batch', 3, 'h', 'w'], attrs: {} }],
  ['GlobalMaxPool', { name: 'ties go to the first maximum', x: [2, 5, 3, 3], attrs: {}, data: 'ties' }],
  ['GlobalLpPool', { name: 'p = 2, 2-D', x: [2, 3, 4, 5], declared: ['batch', 3, 4, 5], attrs: {} }],
  ['GlobalLpPool', { name: 'p = 3, dynamic length', x: [2, 3, 7], declared: ['batch', 3, 'l'], attrs: { p: 3 } }],
  ['GlobalLpPool', { name: 'p = 1', x: [2, 3, 6], attrs: { p: 1 } }],
];

describe('MaxPool (float64; central differences + float64 reference)', () => {
  for (const c of MAX_CASES) it(c.name, async () => void (await checkPool('MaxPool', c)));
});

describe('AveragePool (float32; float64 reference + central differences)', () => {
  for (const c of AVG_CASES) it(c.name, async () => void (await checkPool('AveragePool', c)));
});

describe('LpPool (float32; float64 reference + central differences)', () => {
  for (const c of LP_CASES) it(c.name, async () => void (await checkPool('LpPool', c)));
});

describe('Global pools (float32; float64 reference + central differences)', () => {
  for (const [op, c] of GLOBAL_CASES) it(`${op}: ${c.name}`, async () => void (await checkPool(op, c)));
});

describe('MaxPool saved Indices', () => {
  it('reuses Indices the model already outputs, and differentiates through a second consumer', async () => {
    await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 2, 6, 6]);
        const [y, indices] = b.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: 2 }) as [string, string];
        const z = b.op('Mul', [y, b.op('Cast', [indices], { to: 11 })]);
        return [z, b.op('Tanh', [y])];
      },
      feeds: { x: rand([3, 2, 6, 6], { seed: 5 }) },
    });
  });

  it('onnxruntime puts padding positions nowhere in Indices (gradients stay inside x)', async () => {
    // All-negative input with pads: if padding could win, some window max would be 0.
    const x = Tensor.float64([2, 1, 4, 4], Array.from({ length: 32 }, (_, i) => -1 - (i % 7) * 0.1 - i * 1e-3));
    const results = await expectGradientsMatch({
      build: (b) => b.op('MaxPool', [b.input('x', 'float64', [2, 1, 4, 4])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      feeds: { x },
    });
    expect(results[0]!.worstRelError).toBeLessThan(1e-6);
  });
});

describe('refusals', () => {
  it('AveragePool with SAME and dilations (onnxruntime pads it nonstandardly) is refused in one line', async () => {
    await expect(expectGradientsMatch({
      build: (b) => b.op('AveragePool', [b.input('x', 'float32', [2, 1, 9, 8])], { kernel_shape: [3, 2], dilations: [2, 1], auto_pad: 'SAME_UPPER' }),
      feeds: { x: randn([2, 1, 9, 8]) },
    })).rejects.toThrow(/cannot differentiate AveragePool node .*: auto_pad SAME with dilations > 1/);
  });
});
