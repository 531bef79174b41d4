import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/autodiff/gradients.js';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { buildModel, rand } from '../harness.js';
import { check, relDiff, vjp } from './helpers.js';
import { castTensor } from '../../../src/tensor/cast.js';

/*
 * float32 central differences: with a step ε = 3e-3 · (1 + max|x|) (about 1e-2 here; the
 * harness default 1e-2 gave truncation errors up to 6e-3 on 7-element instance groups) the
 * O(ε²) truncation is ≤ ~5e-4 relative and float32 rounding of f over 2ε ~3e-5. The worst error
 * measured is 5.2e-4 (InstanceNormalization, rank 3); 2e-3 leaves ~4x room while any wrong or
 * missing term is off by 1e-2 or more. float64 cases use the harness default 1e-6.
 */
const F32 = 2e-3;
const F32_STEP = 3e-3;

describe('LayerNormalization', () => {
  it('float64, axis -1, scale and bias (statistics recomputed in double)', async () => {
    await check('LayerNorm f64 axis -1', {
      build: (b) => b.op('LayerNormalization', [b.input('x', 'float64', ['batch', 4, 6]), b.input('scale', 'float64', [6]), b.input('bias', 'float64', [6])], { axis: -1, epsilon: 1e-3 }),
      feeds: { x: rand([2, 4, 6]), scale: rand([6]), bias: rand([6]) },
    });
  });
  it('float64, axis 1 over two axes, no bias', async () => {
    await check('LayerNorm f64 axis 1', {
      build: (b) => b.op('LayerNormalization', [b.input('x', 'float64', ['batch', 4, 6]), b.input('scale', 'float64', [4, 6])], { axis: 1 }),
      feeds: { x: rand([3, 4, 6]), scale: rand([4, 6]) },
    });
  });
  it('float64, axis -2 with a broadcast scale [1, 6]', async () => {
    await check('LayerNorm f64 axis -2 broadcast scale', {
      build: (b) => b.op('LayerNormalization', [b.input('x', 'float64', ['batch', 4, 6]), b.input('scale', 'float64', [1, 6]), b.input('bias', 'float64', [6])], { axis: -2 }),
      feeds: { x: rand([2, 4, 6]), scale: rand([1, 6]), bias: rand([6]) },
    });
  });
  it('float32 (Mean and InvStdDev reused), axis -1', async () => {
    await check('LayerNorm f32 axis -1', {
      build: (b) => b.op('LayerNormalization', [b.input('x', 'float32', ['batch', 4, 6]), b.input('scale', 'float32', [6]), b.input('bias', 'float32', [6])], { axis: -1 }),
      feeds: { x: rand([2, 4, 6], { dtype: 'float32' }), scale: rand([6], { dtype: 'float32' }), bias: rand([6], { dtype: 'float32' }) },
      tolerance: F32,
        epsilon: F32_STEP,
    });
  });

  // Gradients arriving at Mean (output 1) and InvStdDev (output 2), as in second order.
  const withStats = (axis: number, useY: boolean) => (b: GraphBuilder) => {
    const x = b.input('x', 'float32', ['batch', 4, 6]);
    const [y, mean, inv] = b.op('LayerNormalization', [x, b.input('scale', 'float32', [6]), b.input('bias', 'float32', [6])], { axis }, { outputs: 3 }) as [string, string, string];
    // Mean and InvStdDev keep the normalised axes as 1s, so they broadcast against Y.
    const stats = b.op('Add', [mean, b.op('Mul', [inv, b.constant('k', Tensor.float32([], [0.5]))])]);
    return useY ? b.op('Add', [y, stats]) : stats;
  };
  for (const axis of [-1, 0]) {
    it(`float32: Y + Mean + InvStdDev, axis ${axis}${axis === 0 ? ' (group size from Shape at run time)' : ''}`, async () => {
      await check(`LayerNorm f32 Y+Mean+InvStd axis ${axis}`, {
        build: withStats(axis, true),
        feeds: { x: rand([2, 4, 6], { dtype: 'float32' }), scale: rand([6], { dtype: 'float32' }), bias: rand([6], { dtype: 'float32' }) },
        wrt: ['x', 'scale', 'bias'],
        tolerance: F32,
        epsilon: F32_STEP,
      });
    });
  }
  it('float32: only Mean and InvStdDev used (no gradient at Y)', async () => {
    await check('LayerNorm f32 Mean+InvStd only', {
      build: withStats(-1, false),
      feeds: { x: rand([2, 4, 6], { dtype: 'float32' }), scale: rand([6], { dtype: 'float32' }), bias: rand([6], { dtype: 'float32' }) },
      wrt: ['x'],
      tolerance: F32,
        epsilon: F32_STEP,
    });
  });
});

describe('BatchNormalization (inference mode, float64)', () => {
  for (const shape of [['batch', 3, 4, 5], ['batch', 3]] as const) {
    it(`X ${JSON.stringify(shape)}: gradients for X, scale, B, mean and var`, async () => {
      const fed = [2, ...shape.slice(1)] as number[];
      await check(`BatchNorm rank ${shape.length}`, {
        build: (b) => b.op('BatchNormalization', [
          b.input('x', 'float64', [...shape]), b.input('scale', 'float64', [3]), b.input('bias', 'float64', [3]),
          b.input('mean', 'float64', [3]), b.input('var', 'float64', [3]),
        ], { epsilon: 1e-3 }),
        feeds: { x: rand(fed), scale: rand([3]), bias: rand([3]), mean: rand([3], { seed: 5 }), var: rand([3], { low: 0.5, high: 1.5 }) },
      });
    });
  }
  it('refuses training mode with a one-line GlassboxError', () => {
    const { model } = buildModel((b) => b.op('BatchNormalization', [
      b.input('x', 'float32', ['batch', 3]), b.constant('s', f32(3)), b.constant('b', f32(3)), b.constant('m', f32(3)), b.constant('v', f32(3)),
    ], { training_mode: 1 }));
    expect(() => buildGradientGraph(model, { of: [model.graph.outputs[0]!.name], wrt: ['x'] })).toThrow(/training mode/);
  });
});

function f32(n: number): Tensor {
  return Tensor.float32([n], new Array(n).fill(1));
}

describe('InstanceNormalization (float32: onnxruntime has no double kernel)', () => {
  for (const shape of [[2, 3, 4, 5], [3, 3, 7]]) {
    it(`X ['batch', ${shape.slice(1).join(', ')}]`, async () => {
      await check(`InstanceNorm rank ${shape.length}`, {
        build: (b) => b.op('InstanceNormalization', [b.input('x', 'float32', ['batch', ...shape.slice(1)]), b.input('scale', 'float32', [3]), b.input('bias', 'float32', [3])], { epsilon: 1e-3 }),
        feeds: { x: rand(shape, { dtype: 'float32' }), scale: rand([3], { dtype: 'float32' }), bias: rand([3], { dtype: 'float32' }) },
        tolerance: F32,
        epsilon: F32_STEP,
      });
    });
  }
});

/**
 * float32 gradients against float64 ones on the same data: float32 rounding through ~60-element
 * reductions measures ~1e-7 relative to the largest entry; 1e-6 leaves room, a wrong term is ≥1e-2.
 */
function expectSame(g32: Record<string, Tensor>, g64: Record<string, Tensor>, wrt: string[]): void {
  for (const name of wrt) {
    const d = relDiff(castTensor(g32[name]!, 'float64'), g64[name]!);
    if (process.env.GRADCHECK_REPORT) console.log(`[gradcheck] cross-check ${name} float32 vs float64 ${d.toExponential(2)}`);
    expect(d, name).toBeLessThan(1e-6);
  }
}

function to64(feeds: Record<string, Tensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, castTensor(v, 'float64')]));
}

describe('InstanceNormalization agrees with GroupNormalization(num_groups = C) in float64', () => {
  it('gradients for X, scale and B match to float32 rounding', async () => {
    const feeds32 = { x: rand([2, 3, 4, 5], { dtype: 'float32' }), scale: rand([3], { dtype: 'float32' }), bias: rand([3], { dtype: 'float32' }) };
    const seed = rand([2, 3, 4, 5], { dtype: 'float32', seed: 9 });
    const wrt = ['x', 'scale', 'bias'];
    const inputs = (b: GraphBuilder, dtype: 'float32' | 'float64') => [b.input('x', dtype, ['batch', 3, 4, 5]), b.input('scale', dtype, [3]), b.input('bias', dtype, [3])];
    const g32 = await vjp((b) => b.op('InstanceNormalization', inputs(b, 'float32'), { epsilon: 1e-3 }), feeds32, wrt, seed);
    const g64 = await vjp((b) => b.op('GroupNormalization', inputs(b, 'float64'), { num_groups: 3, epsilon: 1e-3, stash_type: 11 }), to64(feeds32), wrt, castTensor(seed, 'float64'));
    expectSame(g32, g64, wrt);
  });
});

// float64 cases set stash_type 11: with the default (float) onnxruntime computes a double
// GroupNormalization in float32 precision (measured 8e-7 off), too coarse for central differences.
describe('GroupNormalization (opset 21: per-channel scale and bias)', () => {
  for (const groups of [3, 1, 6]) {
    it(`float64, num_groups ${groups}`, async () => {
      await check(`GroupNorm f64 groups ${groups}`, {
        build: (b) => b.op('GroupNormalization', [b.input('x', 'float64', ['batch', 6, 4, 3]), b.input('scale', 'float64', [6]), b.input('bias', 'float64', [6])], { num_groups: groups, epsilon: 1e-3, stash_type: 11 }),
        feeds: { x: rand([2, 6, 4, 3]), scale: rand([6]), bias: rand([6]) },
      });
    });
  }
  it('float32 (fused LayerNormalization recompute) agrees with float64, dynamic spatial dim', async () => {
    // Central differences in float32 hit tiny directional derivatives here; comparing the
    // float32 gradients with the float64 ones (checked above) on the same data is sharper.
    const build = (dtype: 'float32' | 'float64') => (b: GraphBuilder) =>
      b.op('GroupNormalization', [b.input('x', dtype, ['batch', 4, 'len']), b.input('scale', dtype, [4]), b.input('bias', dtype, [4])], { num_groups: 2, stash_type: dtype === 'float64' ? 11 : 1 });
    const feeds32 = { x: rand([3, 4, 5], { dtype: 'float32' }), scale: rand([4], { dtype: 'float32' }), bias: rand([4], { dtype: 'float32' }) };
    const seed = rand([3, 4, 5], { dtype: 'float32', seed: 3 });
    const wrt = ['x', 'scale', 'bias'];
    const g32 = await vjp(build('float32'), feeds32, wrt, seed);
    const g64 = await vjp(build('float64'), to64(feeds32), wrt, castTensor(seed, 'float64'));
    expectSame(g32, g64, wrt);
  });
  it('float64, rank 2 input', async () => {
    await check('GroupNorm f64 rank 2', {
      build: (b) => b.op('GroupNormalization', [b.input('x', 'float64', ['batch', 6]), b.input('scale', 'float64', [6]), b.input('bias', 'float64', [6])], { num_groups: 2, stash_type: 11 }),
      feeds: { x: rand([2, 6]), scale: rand([6]), bias: rand([6]) },
    });
  });
});

