import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { vjp } from './helpers.js';

/** Gradients at kinks, where central differences do not apply: checked against exact values. */
function values(t: Tensor): number[] {
  return Array.from(t.data as Float64Array);
}

async function gradOf(op: string, x: number[][], axes: number[] | null, keepdims: number): Promise<number[]> {
  const shape = [x.length, x[0]!.length];
  const outShape = axes === null ? (keepdims ? [1, 1] : []) : keepdims ? [shape[0]!, 1] : [shape[0]!];
  const grads = await vjp(
    (b) => b.op(op, [b.input('x', 'float64', ['batch', shape[1]!]), ...(axes ? [b.constant('axes', Tensor.int64([axes.length], axes))] : [])], { keepdims }),
    { x: Tensor.float64(shape, x.flat()) },
    ['x'],
    Tensor.float64(outShape, new Array(outShape.reduce((a, b) => a * b, 1)).fill(1).map((_, i) => i + 1)),
  );
  return values(grads.x!);
}

function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v, `element ${i} of [${got.join(', ')}]`).toBeCloseTo(want[i]!, 12));
}

describe('reductions at kinks (float64, exact values)', () => {
  it('ReduceMax splits the gradient evenly among ties (PyTorch amax)', async () => {
    // Row 0: max 3 twice; row 1: max 5 three times. Seeds 1 and 2.
    expectClose(await gradOf('ReduceMax', [[1, 3, 3, 2], [5, 5, 5, 0]], [-1], 0), [0, 0.5, 0.5, 0, 2 / 3, 2 / 3, 2 / 3, 0]);
    expectClose(await gradOf('ReduceMax', [[1, 3, 3, 2], [3, 0, 0, 0]], null, 1), [0, 1 / 3, 1 / 3, 0, 1 / 3, 0, 0, 0]);
  });
  it('ReduceMin splits the gradient evenly among ties (PyTorch amin)', async () => {
    expectClose(await gradOf('ReduceMin', [[1, 3, 1, 2], [0, 5, 5, 0]], [1], 1), [0.5, 0, 0.5, 0, 1, 0, 0, 1]);
  });
  it('ReduceL2 has gradient 0 at a zero norm (PyTorch norm), x / ‖x‖ elsewhere', async () => {
    expectClose(await gradOf('ReduceL2', [[0, 0, 0, 0], [3, 0, -4, 0]], [-1], 0), [0, 0, 0, 0, 2 * 0.6, 0, 2 * -0.8, 0]);
  });
  it('ReduceL1 has gradient sign(x), 0 at 0', async () => {
    expectClose(await gradOf('ReduceL1', [[0, -2, 3, 0], [1, 0, -1, 0]], [-1], 0), [0, -1, 1, 0, 2, 0, -2, 0]);
  });
  it('ReduceProd with zeros: the product of the others', async () => {
    // Row 0: one zero → only it gets 2·3·4 = 24; row 1: two zeros → all 0; seeds 1 and 2.
    expectClose(await gradOf('ReduceProd', [[2, 0, 3, 4], [0, 5, 0, 1]], [-1], 0), [0, 24, 0, 0, 0, 0, 0, 0]);
    expectClose(await gradOf('ReduceProd', [[2, -1, 3, 4], [1, 1, 1, 1]], null, 0), [-12, 24, -8, -6, -24, -24, -24, -24]);
  });
});
