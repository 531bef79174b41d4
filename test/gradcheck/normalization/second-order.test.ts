import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/autodiff/gradients.js';
import { missingGradientRules } from '../../../src/autodiff/coverage.js';
import { gradcheck } from '../../../src/engine/gradcheck.js';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { inferShapes } from '../../../src/onnx/shapes/index.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { buildModel, rand } from '../harness.js';

/**
 * Second order: the backward graph a rule emits is itself differentiated (as Hessian-vector
 * products will be) and gradchecked: x ↦ ∂⟨f(x), seed⟩/∂x must match central differences.
 */
interface Case {
  name: string;
  build: (b: GraphBuilder) => string;
  x: Tensor;
  seed: Tensor;
  tolerance: number;
}

function int64(v: number[]): Tensor {
  return Tensor.int64([v.length], v);
}

const CASES: Case[] = [
  {
    name: 'Softmax axis 1 (float64)',
    build: (b) => b.op('Softmax', [b.input('x', 'float64', ['batch', 5, 3])], { axis: 1 }),
    x: rand([2, 5, 3]),
    seed: rand([2, 5, 3], { seed: 4 }),
    tolerance: 1e-6,
  },
  {
    // The backward reads Mean and InvStdDev, so the second pass sends gradient to them.
    // float32 tolerance as in norms.test.ts.
    name: 'LayerNormalization axis -1 (float32, saved Mean/InvStdDev)',
    build: (b) => b.op('LayerNormalization', [b.input('x', 'float32', ['batch', 3, 6]), b.constant('scale', rand([6], { dtype: 'float32', seed: 2 }))], { axis: -1 }),
    x: rand([2, 3, 6], { dtype: 'float32' }),
    seed: rand([2, 3, 6], { dtype: 'float32', seed: 4 }),
    tolerance: 2e-3,
  },
  {
    name: 'LayerNormalization axis -1 (float64, recomputed statistics)',
    build: (b) => b.op('LayerNormalization', [b.input('x', 'float64', ['batch', 3, 6]), b.constant('scale', rand([6], { seed: 2 }))], { axis: -1 }),
    x: rand([2, 3, 6]),
    seed: rand([2, 3, 6], { seed: 4 }),
    tolerance: 1e-6,
  },
  {
    name: 'LogSoftmax axis -1 (float64)',
    build: (b) => b.op('LogSoftmax', [b.input('x', 'float64', ['batch', 5])]),
    x: rand([3, 5]),
    seed: rand([3, 5], { seed: 4 }),
    tolerance: 1e-6,
  },
  {
    name: 'ReduceLogSumExp then ReduceL2 (float64)',
    build: (b) => b.op('ReduceL2', [b.op('ReduceLogSumExp', [b.input('x', 'float64', ['batch', 4, 5]), int64Const(b, [-1])], { keepdims: 0 })], { keepdims: 1 }),
    x: rand([2, 4, 5]),
    seed: rand([1, 1], { seed: 4 }),
    tolerance: 1e-6,
  },
  {
    name: 'ReduceMean keepdims 0 of ReduceProd, ReduceMax of squares (float64)',
    build: (b) => {
      const x = b.input('x', 'float64', ['batch', 4, 3]);
      const p = b.op('ReduceProd', [x, int64Const(b, [1])], { keepdims: 0 });
      const m = b.op('ReduceMax', [b.op('Mul', [x, x]), int64Const(b, [-1])], { keepdims: 1 });
      return b.op('Add', [b.op('ReduceMean', [p, int64Const(b, [-1])], { keepdims: 1 }), b.op('ReduceSum', [m], { keepdims: 0 })]);
    },
    x: rand([2, 4, 3], { low: 0.5, high: 1.5 }),
    seed: rand([2, 1], { seed: 4 }),
    tolerance: 1e-6,
  },
  {
    name: 'GroupNormalization num_groups 2 (float64)',
    build: (b) => b.op('GroupNormalization', [b.input('x', 'float64', ['batch', 4, 3]), b.constant('s', rand([4], { seed: 2 })), b.constant('b', rand([4], { seed: 3 }))], { num_groups: 2, stash_type: 11 }),
    x: rand([2, 4, 3]),
    seed: rand([2, 4, 3], { seed: 4 }),
    tolerance: 1e-6,
  },
  {
    name: 'InstanceNormalization (float32, fused recompute)',
    build: (b) => b.op('InstanceNormalization', [b.input('x', 'float32', ['batch', 2, 6]), b.constant('s', rand([2], { dtype: 'float32', seed: 2 })), b.constant('b', rand([2], { dtype: 'float32', seed: 3 }))]),
    x: rand([2, 2, 6], { dtype: 'float32' }),
    seed: rand([2, 2, 6], { dtype: 'float32', seed: 4 }),
    tolerance: 2e-3,
  },
];

function int64Const(b: GraphBuilder, v: number[]): string {
  return b.constant('axes', int64(v));
}

describe('second order: gradcheck of the backward graphs', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { model, outputs } = buildModel(c.build);
      const grad = buildGradientGraph(model, { of: outputs, wrt: ['x'] });
      const missing = missingGradientRules(grad.model.graph.nodes.map((n) => n.opType));
      expect(missing, 'ops of the backward graph without a rule').toEqual([]);
      inferShapes(grad.model);
      const seedName = grad.seeds[outputs[0]!]!;
      const results = await gradcheck(grad.model, {
        feeds: { x: c.x, [seedName]: c.seed },
        of: [grad.gradients.x!],
        wrt: ['x'],
        ...(c.x.dtype === 'float32' ? { epsilon: 3e-3 } : {}),
        runtime: { deterministic: true },
      });
      if (process.env.GRADCHECK_REPORT) console.log(`[gradcheck] HVP ${c.name} worst rel error ${results[0]!.worstRelError.toExponential(2)}`);
      expect(results[0]!.worstRelError, JSON.stringify(results[0]!.checks)).toBeLessThan(c.tolerance);
    });
  }
});
