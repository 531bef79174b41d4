import { describe, it } from 'vitest';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { hasRule } from '../../../src/autodiff/rules/index.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { rand } from '../harness.js';
import { checkSecondOrder } from './check.js';

/*
 * The builder differentiates its own gradient graphs (Hessian-vector products), so the ops
 * these rules emit must be differentiable by the rules in turn. Most inputs here share one
 * shape; un-broadcasting emits ReduceSum/Reshape, whose rules live in other families.
 * float64 where every forward op has a double kernel (default 1e-6); the float32 chains carry
 * the same rounding as activations.test.ts, at the second derivative (3e-4 there, 1e-3 here).
 */
describe('second order through the elementwise rules', () => {
  it('float64: Pow, Exp, Log, Sqrt, Reciprocal, Abs, Sin, Cos, Neg, Div, Sub, Tanh, Sigmoid, Relu', async () => {
    await checkSecondOrder('f64 smooth', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 4]);
        const p = b.input('p', 'float64', ['batch', 4]);
        const a = b.op('Pow', [b.op('Exp', [b.op('Sin', [x])]), p]);
        const c = b.op('Div', [b.op('Log', [b.op('Sqrt', [b.op('Abs', [x])])]), b.op('Reciprocal', [b.op('Cos', [p])])]);
        const d = b.op('Sub', [b.op('Tanh', [a]), b.op('Sigmoid', [b.op('Neg', [c])])]);
        return b.op('Mul', [d, b.op('Relu', [b.op('Add', [x, p])])]);
      },
      feeds: { x: rand([2, 4], { awayFrom: [0] }), p: rand([2, 4], { seed: 2, low: -1, high: 1 }) },
      wrt: ['x', 'p'],
    });
  });

  it('float64: Max, Min, Clip, Where, Sum', async () => {
    await checkSecondOrder('f64 piecewise', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 4]);
        const y = b.input('y', 'float64', ['batch', 4]);
        const sq = (t: string): string => b.op('Mul', [t, t]);
        const m = b.op('Max', [sq(x), y]);
        const n = b.op('Min', [x, b.op('Sin', [y]), sq(y)]);
        const c = b.op('Clip', [b.op('Mul', [x, y]), b.constant('lo', Tensor.float64([], [-0.5])), b.constant('hi', Tensor.float64([], [0.4]))]);
        const w = b.op('Where', [b.op('Greater', [x, y]), sq(x), b.op('Mul', [y, x])]);
        return b.op('Sum', [sq(m), sq(n), b.op('Mul', [c, x]), sq(w)]);
      },
      feeds: { x: rand([3, 4]), y: rand([3, 4], { seed: 9 }) },
      wrt: ['x', 'y'],
    });
  });

  // Un-broadcasting emits ReduceSum and Reshape (other families' rules): checked once they exist.
  it.skipIf(!hasRule('ReduceSum') || !hasRule('Reshape'))('float64 with broadcasting: Add, Sub, Mul, Div, Pow, Max, Where, Sum', async () => {
    await checkSecondOrder('f64 broadcast', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 3, 4]);
        const y = b.input('y', 'float64', [4]);
        const z = b.input('z', 'float64', [3, 1]);
        const a = b.op('Div', [b.op('Sub', [x, y]), b.op('Add', [b.op('Mul', [z, z]), y])]);
        const p = b.op('Pow', [b.op('Add', [b.op('Mul', [x, x]), z]), y]);
        const m = b.op('Max', [a, z, b.op('Mul', [y, x])]);
        const w = b.op('Where', [b.op('Greater', [x, z]), y, b.op('Mul', [z, y])]);
        return b.op('Sum', [b.op('Mul', [a, p]), b.op('Mul', [m, m]), b.op('Mul', [w, x])]);
      },
      feeds: { x: rand([2, 3, 4]), y: rand([4], { seed: 5, low: 0.5, high: 1.5 }), z: rand([3, 1], { seed: 6, low: 0.5, high: 1.5 }) },
      wrt: ['x', 'y', 'z'],
    });
  });

  const f32 = (name: string, chain: (b: GraphBuilder, x: string) => string, range?: [number, number], kinks: number[] = []) =>
    checkSecondOrder(name, {
      build: (b) => chain(b, b.input('x', 'float32', ['batch', 5])),
      feeds: { x: rand([2, 5], { dtype: 'float32', awayFrom: kinks, ...(range ? { low: range[0], high: range[1] } : {}) }) },
      wrt: ['x'],
      epsilon: 1e-3,
      tolerance: 1e-3,
    });

  it('float32: Erf, Gelu (both), Mish, Softplus, Softsign, Tan', async () => {
    await f32('Erf', (b, x) => b.op('Erf', [x]));
    await f32('Gelu none', (b, x) => b.op('Gelu', [x]));
    await f32('Gelu tanh', (b, x) => b.op('Gelu', [x], { approximate: 'tanh' }));
    await f32('Mish', (b, x) => b.op('Mish', [x]));
    await f32('Softplus', (b, x) => b.op('Softplus', [x]));
    await f32('Softsign', (b, x) => b.op('Softsign', [x]), undefined, [0]);
    await f32('Tan', (b, x) => b.op('Tan', [x]), [-1.2, 1.2]);
  });

  it('float32: Elu, Selu, Celu, LeakyRelu, PRelu, HardSigmoid, HardSwish, ThresholdedRelu, Mean', async () => {
    const sq = (b: GraphBuilder, t: string): string => b.op('Mul', [t, t]);
    await f32('Elu', (b, x) => b.op('Elu', [x], { alpha: 0.7 }), undefined, [0]);
    await f32('Selu', (b, x) => b.op('Selu', [x]), undefined, [0]);
    await f32('Celu', (b, x) => b.op('Celu', [x], { alpha: 1.5 }), undefined, [0]);
    await f32('LeakyRelu', (b, x) => sq(b, b.op('LeakyRelu', [x])), undefined, [0]);
    await f32('PRelu', (b, x) => sq(b, b.op('PRelu', [x, b.op('Sigmoid', [x])])), undefined, [0]);
    await f32('HardSigmoid', (b, x) => sq(b, b.op('HardSigmoid', [x])), [-3, 3], [-2.5, 2.5]);
    await f32('HardSwish', (b, x) => b.op('HardSwish', [x]), [-4, 4], [-3, 3]);
    await f32('ThresholdedRelu', (b, x) => sq(b, b.op('ThresholdedRelu', [x], { alpha: 0.2 })), undefined, [0.2]);
    await f32('Mean', (b, x) => b.op('Mean', [sq(b, x), b.op('Sin', [x]), x]));
  });
});
