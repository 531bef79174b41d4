import { describe, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { rand } from '../harness.js';
import { check } from './check.js';

// float64 throughout: onnxruntime's CPU kernels for every op here (forward and backward) take
// double, so central differences reach the harness's default 1e-6.
describe('elementwise arithmetic rules (float64)', () => {
  it('Add/Sub/Mul/Div with broadcasting on both sides', async () => {
    await check('Add/Sub/Mul/Div', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 3, 4]);
        const y = b.input('y', 'float64', [3, 1]);
        const z = b.input('z', 'float64', [4]);
        const s = b.op('Add', [x, y]);
        const d = b.op('Sub', [s, z]);
        const m = b.op('Mul', [d, y]);
        const q = b.op('Div', [m, b.op('Add', [b.op('Mul', [z, z]), y])]);
        // Sub and Div with the broadcast operand first, so their second input is the big one.
        return b.op('Div', [b.op('Sub', [z, q]), b.op('Add', [b.op('Mul', [x, x]), y])]);
      },
      feeds: { x: rand([2, 3, 4]), y: rand([3, 1], { low: 0.5, high: 1.5 }), z: rand([4]) },
    });
  });

  it('Neg and Sum (one input, and three broadcasting inputs)', async () => {
    await check('Neg/Sum', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 3, 4]);
        const y = b.input('y', 'float64', [4]);
        const z = b.input('z', 'float64', [3, 1]);
        return b.op('Sum', [b.op('Neg', [x]), y, b.op('Sum', [z])]);
      },
      feeds: { x: rand([3, 3, 4]), y: rand([4]), z: rand([3, 1]) },
    });
  });

  it('Pow: tensor exponent broadcasting, gradients for base and exponent', async () => {
    await check('Pow tensor exponent', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 3, 4]);
        const p = b.input('p', 'float64', [4]);
        return b.op('Pow', [x, p]);
      },
      feeds: { x: rand([2, 3, 4], { low: 0.3, high: 2 }), p: rand([4], { low: -2, high: 2.5 }) },
    });
    // A small base against a big exponent: the base is the one summed back.
    await check('Pow small base', {
      build: (b) => b.op('Pow', [b.input('x', 'float64', [3, 1]), b.input('p', 'float64', ['batch', 3, 2])]),
      feeds: { x: rand([3, 1], { low: 0.5, high: 1.5 }), p: rand([2, 3, 2]) },
    });
  });

  it('Pow: constant exponents (float, int64 on negative bases) and a float32 exponent of a double base', async () => {
    await check('Pow constant exponents', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 5]);
        const square = b.op('Pow', [x, b.constant('two', Tensor.float64([], [2]))]);
        const cube = b.op('Pow', [x, b.constant('three', Tensor.int64([], [3]))]);
        return b.op('Add', [square, cube]);
      },
      feeds: { x: rand([2, 5]) },
    });
    await check('Pow float32 exponent', {
      build: (b) => b.op('Pow', [b.input('x', 'float64', ['batch', 4]), b.input('p', 'float32', [4])]),
      feeds: { x: rand([3, 4], { low: 0.5, high: 2 }), p: rand([4], { dtype: 'float32', low: -1, high: 2 }) },
      // The exponent is float32: its perturbation is rounded to float32 (relative 6e-8 of x,
      // ε = 1e-2 · scale), so its central difference is good to about 1e-5 (truncation O(ε²)
      // dominates at ~1e-4).
      tolerance: 2e-3,
    });
  });

  it('Max/Min: two and three broadcasting inputs', async () => {
    await check('Max/Min', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 3, 4]);
        const y = b.input('y', 'float64', [4]);
        const z = b.input('z', 'float64', [3, 1]);
        const m2 = b.op('Max', [x, y]);
        const n2 = b.op('Min', [y, x]);
        const m3 = b.op('Max', [z, x, y]);
        const n3 = b.op('Min', [x, z, y]);
        return b.op('Sum', [m2, b.op('Mul', [n2, n2]), b.op('Mul', [m3, z]), b.op('Mul', [n3, n3]), b.op('Max', [x])]);
      },
      feeds: { x: rand([2, 3, 4]), y: rand([4]), z: rand([3, 1]) },
    });
  });

  it('Max/Min: two-way ties split the gradient in half (what central differences see)', async () => {
    const a = rand([2, 6]);
    const c = rand([2, 6], { seed: 99 });
    const ad = a.data as Float64Array;
    const cd = c.data as Float64Array;
    for (let i = 0; i < cd.length; i += 2) cd[i] = ad[i]!; // ties at every other element
    await check('Max/Min ties', {
      build: (b) => {
        const x = b.input('a', 'float64', ['batch', 6]);
        const y = b.input('c', 'float64', ['batch', 6]);
        const w = b.constant('w', rand([6], { seed: 5 }));
        return b.op('Add', [b.op('Max', [x, y]), b.op('Mul', [b.op('Min', [x, y]), w])]);
      },
      feeds: { a, c },
      wrt: ['a'],
    });
  });

  it('Where: condition broadcast, X and Y broadcast to it', async () => {
    await check('Where', {
      build: (b) => {
        const c = b.input('c', 'float64', ['batch', 3, 4]);
        const x = b.input('x', 'float64', [3, 1]);
        const y = b.input('y', 'float64', []);
        const z = b.input('z', 'float64', ['batch', 3, 4]);
        const cond = b.op('Greater', [c, b.constant('zero', Tensor.float64([], [0]))]);
        const w1 = b.op('Where', [cond, x, y]);
        const w2 = b.op('Where', [b.op('Less', [c, x]), z, x]);
        return b.op('Add', [b.op('Mul', [w1, w1]), w2]);
      },
      feeds: { c: rand([2, 3, 4]), x: rand([3, 1]), y: rand([]), z: rand([2, 3, 4], { seed: 3 }) },
      wrt: ['x', 'y', 'z'],
    });
  });

  it('Clip: min and max inputs, one-sided, none, constant bounds, and min > max', async () => {
    const x = rand([3, 4, 5], { awayFrom: [-0.6, 0.7, 0.3] });
    await check('Clip', {
      build: (b) => {
        const xi = b.input('x', 'float64', ['batch', 4, 5]);
        const lo = b.input('lo', 'float64', []);
        const hi = b.input('hi', 'float64', []);
        const both = b.op('Clip', [xi, lo, hi]);
        const below = b.op('Clip', [xi, lo]);
        const above = b.op('Clip', [xi, '', hi]);
        const none = b.op('Clip', [xi]);
        const fixed = b.op('Clip', [xi, b.constant('c0', Tensor.float64([], [-1])), b.constant('c1', Tensor.float64([], [1]))]);
        const square = (t: string): string => b.op('Mul', [t, t]);
        return b.op('Sum', [square(both), below, square(above), none, square(fixed)]);
      },
      feeds: { x, lo: Tensor.float64([], [-0.6]), hi: Tensor.float64([], [0.7]) },
    });
    // min > max: the output is max everywhere, so x and min get nothing and max everything.
    await check('Clip min>max', {
      build: (b) => {
        const out = b.op('Clip', [b.input('x', 'float64', ['batch', 4, 5]), b.input('lo', 'float64', []), b.input('hi', 'float64', [])]);
        return b.op('Mul', [out, b.input('w', 'float64', ['batch', 4, 5])]);
      },
      feeds: { x, lo: Tensor.float64([], [0.7]), hi: Tensor.float64([], [0.3]), w: rand([3, 4, 5], { seed: 8 }) },
      wrt: ['x', 'lo', 'hi'],
    });
  });
});
