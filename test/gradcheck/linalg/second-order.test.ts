/**
 * Second order: the backward graphs of the linalg rules are differentiated again (as
 * Hessian-vector products will be) and gradchecked. For bilinear ops (Conv, ConvTranspose,
 * Einsum, MatMul, Gemm) dx does not depend on x, so the cross terms are checked: ∂dx/∂w, ∂dw/∂x
 * and ∂(dx, dw)/∂seed. Pools are linear in the seed; LpPool's backward also depends on x.
 * Tolerances as in the first-order files: float64 1e-6; float32 linear in the checked input
 * (ε = 0.1) 1e-3; float32 curved (ε = 1e-3) 2e-3.
 */
import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/autodiff/gradients.js';
import { missingGradientRules } from '../../../src/autodiff/coverage.js';
import { gradcheck } from '../../../src/engine/gradcheck.js';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import type { Dim } from '../../../src/onnx/ir/value.js';
import { inferShapes } from '../../../src/onnx/shapes/index.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { buildModel } from '../harness.js';
import { randn, report } from './helpers.js';

interface Case {
  name: string;
  build: (b: GraphBuilder) => string;
  inputs: Record<string, Tensor>;
  /** Output shape (for the seed). */
  out: number[];
  /** [gradient of, with respect to] pairs to check; 'seed' names the seed input. */
  pairs: [string, string][];
  /** Whether every checked map is linear (large step) — else smooth/piecewise (small step). */
  linear?: boolean;
}

const f32 = (shape: number[]) => randn(shape);
const f64 = (shape: number[]) => randn(shape, 'float64');
const input = (b: GraphBuilder, name: string, t: Tensor, declared?: Dim[]) => b.input(name, t.dtype, declared ?? [...t.shape]);

function conv(name: string, op: 'Conv' | 'ConvTranspose', xs: number[], ws: number[], attrs: Record<string, number | number[] | string>, out: number[], declared?: Dim[]): Case {
  const x = f32(xs);
  const w = f32(ws);
  return {
    name,
    build: (b) => b.op(op, [input(b, 'x', x, declared), input(b, 'w', w)], attrs),
    inputs: { x, w },
    out,
    pairs: [['x', 'w'], ['x', 'seed'], ['w', 'x'], ['w', 'seed']],
    linear: true,
  };
}

const CASES: Case[] = [
  conv('Conv 2-D, group 2, stride 2 with a dropped row, dynamic batch', 'Conv', [2, 4, 7, 6], [4, 2, 3, 2], { group: 2, strides: [2, 2], pads: [1, 0, 0, 1] }, [2, 4, 3, 3], ['batch', 4, 7, 6]),
  conv('Conv 1-D depthwise, dynamic length', 'Conv', [2, 3, 9], [3, 1, 3], { group: 3, strides: [2], pads: [1, 1] }, [2, 3, 5], ['batch', 3, 'l']),
  conv('ConvTranspose 2-D, stride 2, pads, output_padding', 'ConvTranspose', [2, 2, 3, 4], [2, 3, 3, 2], { strides: [2, 2], pads: [1, 0, 0, 1], output_padding: [1, 0] }, [2, 3, 7, 7]),
  {
    name: 'MaxPool 2-D (dx is linear in the seed)',
    build: (b) => b.op('MaxPool', [b.input('x', 'float64', ['batch', 2, 5, 5])], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    inputs: { x: f64([2, 2, 5, 5]) },
    out: [2, 2, 3, 3],
    pairs: [['x', 'seed']],
  },
  {
    name: 'AveragePool 2-D, ceil_mode, count_include_pad 0',
    build: (b) => b.op('AveragePool', [b.input('x', 'float32', ['batch', 2, 6, 5])], { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 0, 0], ceil_mode: 1 }),
    inputs: { x: f32([2, 2, 6, 5]) },
    out: [2, 2, 3, 3],
    pairs: [['x', 'seed']],
    linear: true,
  },
  {
    name: 'LpPool p = 2 (dx depends on x and the seed)',
    build: (b) => b.op('LpPool', [b.input('x', 'float32', ['batch', 2, 6, 5])], { kernel_shape: [2, 2], strides: [2, 1] }),
    inputs: { x: f32([2, 2, 6, 5]) },
    out: [2, 2, 3, 4],
    pairs: [['x', 'x'], ['x', 'seed']],
  },
  {
    name: 'GlobalAveragePool and GlobalMaxPool',
    build: (b) => {
      const x = b.input('x', 'float32', ['batch', 3, 'h', 4]);
      return b.op('Add', [b.op('GlobalAveragePool', [x]), b.op('GlobalMaxPool', [x])]);
    },
    inputs: { x: f32([2, 3, 5, 4]) },
    out: [2, 3, 1, 1],
    pairs: [['x', 'seed']],
    linear: true,
  },
  {
    name: 'GlobalLpPool p = 3',
    build: (b) => b.op('GlobalLpPool', [b.input('x', 'float32', ['batch', 3, 4, 4])], { p: 3 }),
    inputs: { x: f32([2, 3, 4, 4]) },
    out: [2, 3, 1, 1],
    pairs: [['x', 'x'], ['x', 'seed']],
  },
  {
    name: 'Einsum bhqd,bhkd->bhqk (float64)',
    build: (b) => b.op('Einsum', [b.input('q', 'float64', ['batch', 2, 3, 4]), b.input('k', 'float64', ['batch', 2, 5, 4])], { equation: 'bhqd,bhkd->bhqk' }),
    inputs: { q: f64([2, 2, 3, 4]), k: f64([2, 2, 5, 4]) },
    out: [2, 2, 3, 5],
    pairs: [['q', 'k'], ['k', 'q'], ['q', 'seed']],
  },
  {
    name: 'Einsum ij,jk->i with an expanded letter (float64)',
    build: (b) => b.op('Einsum', [b.input('a', 'float64', [3, 4]), b.input('c', 'float64', [4, 2])], { equation: 'ij,jk->i' }),
    inputs: { a: f64([3, 4]), c: f64([4, 2]) },
    out: [3],
    pairs: [['a', 'c'], ['c', 'a'], ['c', 'seed']],
  },
  {
    name: 'MatMul 3-D · 2-D (flattened Gemms, float64)',
    build: (b) => b.op('MatMul', [b.input('a', 'float64', ['batch', 3, 4]), b.input('m', 'float64', [4, 2])]),
    inputs: { a: f64([2, 3, 4]), m: f64([4, 2]) },
    out: [2, 3, 2],
    pairs: [['a', 'm'], ['m', 'a'], ['a', 'seed']],
  },
  {
    name: 'Gemm transA, alpha/beta (float64)',
    build: (b) => b.op('Gemm', [b.input('a', 'float64', [4, 3]), b.input('m', 'float64', [4, 2]), b.input('c', 'float64', [2])], { transA: 1, alpha: 0.5, beta: 2 }),
    inputs: { a: f64([4, 3]), m: f64([4, 2]), c: f64([2]) },
    out: [3, 2],
    pairs: [['a', 'm'], ['m', 'a'], ['c', 'seed']],
  },
];

describe('second order: gradcheck of the linalg backward graphs', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { model, outputs } = buildModel(c.build);
      const wrt = [...new Set(c.pairs.map(([of]) => of))];
      const grad = buildGradientGraph(model, { of: outputs, wrt });
      const missing = missingGradientRules(grad.model.graph.nodes.map((n) => n.opType));
      expect(missing, 'ops of the backward graph without a rule').toEqual([]);
      inferShapes(grad.model);
      const seedName = grad.seeds[outputs[0]!]!;
      const dtype = Object.values(c.inputs)[0]!.dtype;
      const seed = randn(c.out, dtype);
      for (const [of, by] of c.pairs) {
        const results = await gradcheck(grad.model, {
          feeds: { ...c.inputs, [seedName]: seed },
          of: [grad.gradients[of]!],
          wrt: [by === 'seed' ? seedName : by],
          ...(dtype === 'float32' ? { epsilon: c.linear ? 0.1 : 1e-3 } : {}),
          runtime: { deterministic: true },
        });
        const tolerance = dtype === 'float64' ? 1e-6 : c.linear ? 1e-3 : 2e-3;
        report(`2nd order ${c.name} d(d${of})/d${by}`, `${dtype}-central-diff`, results[0]!.worstRelError);
        expect(results[0]!.worstRelError, `∂(d${of})/∂${by}: ${JSON.stringify(results[0]!.checks)}`).toBeLessThan(tolerance);
      }
    });
  }
});
