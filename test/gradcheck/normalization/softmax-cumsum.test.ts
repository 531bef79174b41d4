import { describe, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { rand } from '../harness.js';
import { check } from './helpers.js';

/** Softmax, LogSoftmax and CumSum in float64 (all have double CPU kernels): tolerance 1e-6. */
describe('softmax family (float64)', () => {
  for (const op of ['Softmax', 'LogSoftmax']) {
    for (const axis of [-1, 1, 0, -3]) {
      it(`${op} axis ${axis}, dynamic batch`, async () => {
        await check(`${op} axis ${axis}`, {
          // Scaled inputs make the softmax far from uniform, so the curvature is non-trivial.
          build: (b) => b.op(op, [b.op('Mul', [b.input('x', 'float64', ['batch', 3, 5]), b.constant('k', Tensor.float64([], [2]))])], { axis }),
          feeds: { x: rand([3, 3, 5]) },
        });
      });
    }
  }
  it('Softmax with default axis (-1) on a rank-2 input', async () => {
    await check('Softmax default axis', {
      build: (b) => b.op('Softmax', [b.input('x', 'float64', ['batch', 7])]),
      feeds: { x: rand([2, 7]) },
    });
  });
});

describe('CumSum (float64)', () => {
  for (const exclusive of [0, 1]) {
    for (const reverse of [0, 1]) {
      for (const axis of [1, -1, 0]) {
        it(`exclusive ${exclusive}, reverse ${reverse}, axis ${axis}`, async () => {
          await check(`CumSum exclusive ${exclusive} reverse ${reverse} axis ${axis}`, {
            build: (b) => b.op('CumSum', [b.input('x', 'float64', ['batch', 4, 5]), b.constant('axis', Tensor.int64([], [axis]))], { exclusive, reverse }),
            feeds: { x: rand([3, 4, 5]) },
          });
        });
      }
    }
  }
  it('axis as an int32 tensor fed at run time', async () => {
    await check('CumSum fed int32 axis', {
      build: (b) => b.op('CumSum', [b.input('x', 'float64', ['batch', 6]), b.input('axis', 'int32', [])], { reverse: 1 }),
      feeds: { x: rand([2, 6]), axis: new Tensor('int32', [], new Int32Array([-1])) },
      wrt: ['x'],
    });
  });
});
