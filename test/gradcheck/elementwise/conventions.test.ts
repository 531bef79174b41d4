import { describe, it } from 'vitest';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import type { DType } from '../../../src/tensor/dtype.js';
import { expectClose, f32, f64, gradientsAt } from './check.js';

/*
 * Values at kinks and ties, where central differences see an average of one-sided slopes and
 * the rule must pick PyTorch's convention instead. Each expected value is what PyTorch autograd
 * returns for the corresponding torch op (sum of the output, so the seed is all ones).
 */

function one(op: string, dtype: DType, attributes: Record<string, number | string> = {}) {
  return (b: GraphBuilder): string => b.op(op, [b.input('x', dtype, [null])], attributes);
}

async function slopes(op: string, dtype: DType, at: number[], attributes: Record<string, number | string> = {}): Promise<number[]> {
  const x = dtype === 'float64' ? f64(at) : f32(at);
  return (await gradientsAt(one(op, dtype, attributes), { x }, ['x'])).x!;
}

describe('PyTorch conventions at kinks and ties', () => {
  it('Relu, Abs, LeakyRelu, ThresholdedRelu at their kinks', async () => {
    expectClose(await slopes('Relu', 'float64', [-1, 0, 1]), [0, 0, 1]);
    expectClose(await slopes('Abs', 'float64', [-2, 0, 2]), [-1, 0, 1]);
    expectClose(await slopes('LeakyRelu', 'float32', [-1, 0, 1], { alpha: 0.1 }), [0.1, 0.1, 1]);
    expectClose(await slopes('ThresholdedRelu', 'float32', [0.5, 1, 1.5]), [0, 0, 1]);
  });

  it('Elu, Selu, Celu take the left branch at 0', async () => {
    expectClose(await slopes('Elu', 'float32', [0, 1], { alpha: 0.5 }), [0.5, 1]);
    const [alpha, gamma] = [1.67326319217681884765625, 1.05070102214813232421875];
    expectClose(await slopes('Selu', 'float32', [0, 1]), [gamma * alpha, gamma]);
    expectClose(await slopes('Celu', 'float32', [0, 1], { alpha: 2 }), [1, 1]);
  });

  it('HardSigmoid is flat on its boundaries; HardSwish takes the inner slope on [−3, 3]', async () => {
    expectClose(await slopes('HardSigmoid', 'float32', [-3, 0, 3], { alpha: 1 / 6, beta: 0.5 }), [0, 1 / 6, 0]);
    expectClose(await slopes('HardSwish', 'float32', [-4, -3, 0, 3, 4]), [0, -0.5, 0.5, 1.5, 1]);
  });

  it('PRelu at 0: the input gets the slope, the slope gets nothing', async () => {
    const g = await gradientsAt((b) => b.op('PRelu', [b.input('x', 'float32', [3]), b.input('s', 'float32', [3])]), { x: f32([0, -2, 2]), s: f32([0.25, 0.5, 0.75]) }, ['x', 's']);
    expectClose(g.x!, [0.25, 0.5, 1]);
    expectClose(g.s!, [0, -2, 0]);
  });

  it('Clip passes the gradient on its bounds; min and max get it strictly outside', async () => {
    const build = (b: GraphBuilder): string => b.op('Clip', [b.input('x', 'float64', [5]), b.input('lo', 'float64', []), b.input('hi', 'float64', [])]);
    const g = await gradientsAt(build, { x: f64([-2, -1, 0, 1, 2]), lo: f64([-1], []), hi: f64([1], []) }, ['x', 'lo', 'hi']);
    expectClose(g.x!, [0, 1, 1, 1, 0]);
    expectClose(g.lo!, [1]);
    expectClose(g.hi!, [1]);
    // min > max: the output is max everywhere; x gets nothing, not even where it equals max.
    const h = await gradientsAt(build, { x: f64([-2, -1, 0, 1, 2]), lo: f64([1], []), hi: f64([-1], []) }, ['x', 'lo', 'hi']);
    expectClose(h.x!, [0, 0, 0, 0, 0]);
    expectClose(h.lo!, [0]);
    expectClose(h.hi!, [5]);
  });

  it('Max/Min split ties evenly (torch.maximum for two inputs, amax-style for three)', async () => {
    for (const op of ['Max', 'Min']) {
      const two = await gradientsAt((b) => b.op(op, [b.input('a', 'float64', [3]), b.input('b', 'float64', [3])]), { a: f64([1, 2, 3]), b: f64([1, 0, 5]) }, ['a', 'b']);
      expectClose(two.a!, op === 'Max' ? [0.5, 1, 0] : [0.5, 0, 1]);
      expectClose(two.b!, op === 'Max' ? [0.5, 0, 1] : [0.5, 1, 0]);
      const three = await gradientsAt(
        (b) => b.op(op, [b.input('a', 'float64', [3]), b.input('b', 'float64', [3]), b.input('c', 'float64', [])]),
        { a: f64([1, 2, 0]), b: f64([1, 2, 5]), c: f64([1], []) },
        ['a', 'b', 'c'],
      );
      expectClose(three.a!, op === 'Max' ? [1 / 3, 0.5, 0] : [1 / 3, 0, 1]);
      expectClose(three.b!, op === 'Max' ? [1 / 3, 0.5, 1] : [1 / 3, 0, 0]);
      expectClose(three.c!, op === 'Max' ? [1 / 3] : [1 / 3 + 1]);
    }
  });

  it('Pow: slope 0 for a zero exponent, exponent gradient 0 at a zero base', async () => {
    const build = (b: GraphBuilder): string => b.op('Pow', [b.input('x', 'float64', [4]), b.input('p', 'float64', [4])]);
    const g = await gradientsAt(build, { x: f64([0, 0, 2, -2]), p: f64([0, 2, 0, 3]) }, ['x', 'p']);
    expectClose(g.x!, [0, 0, 0, 12]);
    expectClose(g.p!, [0, 0, Math.log(2), NaN]);
  });
});
