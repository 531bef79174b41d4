import { describe, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { rand } from '../harness.js';
import { check } from './check.js';

/*
 * float32: onnxruntime's CPU build has no double kernels for these ops (Erf, Tan, Mean and the
 * activations below). Central differences in float32 with ε = 1e-3 · (1 + max|x|): the inputs and
 * the output sum f = Σ w·y carry relative rounding ~6e-8, i.e. an absolute error ~5e-5 on the
 * directional derivative after the division by 2ε (~1e-5 relative for derivatives of size 5-20),
 * and the O(ε²) truncation adds ~1e-5. Correct rules land at ≤ 8e-5, so 3e-4 is the bar: it
 * catches a 1.5% error in a secondary term (Gelu-tanh's 3κx² with 3 → 3.05 gives 7e-4). ε·|v|
 * stays under the 0.05 margin the inputs keep from every kink, so no difference straddles one.
 */
const EPS = 1e-3;
const TOL = 3e-4;

/** One activation op on a [batch, 3, 4] float32 input, squared so the seed is not constant. */
function unary(op: string, attributes: Record<string, number | string> = {}) {
  return (b: GraphBuilder): string => {
    const x = b.input('x', 'float32', ['batch', 3, 4]);
    const y = b.op(op, [x], attributes);
    return b.op('Mul', [y, y]);
  };
}

async function activation(op: string, attributes: Record<string, number | string>, kinks: number[], range?: [number, number]): Promise<void> {
  await check(`${op} ${JSON.stringify(attributes)}`, {
    build: unary(op, attributes),
    feeds: { x: rand([3, 3, 4], { dtype: 'float32', awayFrom: kinks, ...(range ? { low: range[0], high: range[1] } : {}) }) },
    epsilon: EPS,
    tolerance: TOL,
  });
}

describe('activation rules (float32, central differences)', () => {
  it('Erf, Tan, Softplus, Softsign, Mish', async () => {
    await activation('Erf', {}, []);
    await activation('Tan', {}, [], [-1.2, 1.2]);
    await activation('Softplus', {}, []);
    // |x| makes the third derivative of y² jump at 0 (−2|x|³), so inputs keep |x| ≥ 0.3, where
    // the O(ε²) truncation is back to ~1e-5.
    const x = rand([3, 3, 4], { dtype: 'float32', low: 0.3, high: 2.5 });
    (x.data as Float32Array).forEach((v, i, a) => { if (i % 2) a[i] = -v; });
    await check('Softsign', { build: unary('Softsign'), feeds: { x }, epsilon: EPS, tolerance: TOL });
    await activation('Mish', {}, []);
  });

  it('LeakyRelu, ThresholdedRelu (default and given alpha)', async () => {
    await activation('LeakyRelu', {}, [0]);
    await activation('LeakyRelu', { alpha: 0.3 }, [0]);
    await activation('ThresholdedRelu', {}, [1]);
    await activation('ThresholdedRelu', { alpha: -0.4 }, [-0.4]);
  });

  it('Elu, Selu, Celu (default and given attributes)', async () => {
    await activation('Elu', {}, [0]);
    await activation('Elu', { alpha: 0.4 }, [0]);
    await activation('Selu', {}, [0]);
    await activation('Selu', { alpha: 1.2, gamma: 0.8 }, [0]);
    await activation('Celu', {}, [0]);
    await activation('Celu', { alpha: 2.5 }, [0]);
  });

  it('HardSigmoid (default and PyTorch alpha), HardSwish', async () => {
    await activation('HardSigmoid', {}, [-2.5, 2.5], [-4, 4]);
    await activation('HardSigmoid', { alpha: 1 / 6, beta: 0.5 }, [-3, 3], [-4.5, 4.5]);
    await activation('HardSigmoid', { alpha: -0.3, beta: 0.2 }, [-2.6667, 0.6667], [-4, 4]);
    await activation('HardSwish', {}, [-3, 3], [-4.5, 4.5]);
  });

  it('Gelu: approximate none and tanh', async () => {
    await activation('Gelu', {}, [], [-4, 4]);
    await activation('Gelu', { approximate: 'none' }, []);
    await activation('Gelu', { approximate: 'tanh' }, [], [-4, 4]);
  });

  it('PRelu: slope broadcast per channel and full-shape, gradients for x and slope', async () => {
    await check('PRelu per channel', {
      build: (b) => {
        const x = b.input('x', 'float32', ['batch', 3, 2, 2]);
        const s = b.input('s', 'float32', [3, 1, 1]);
        const y = b.op('PRelu', [x, s]);
        return b.op('Mul', [y, y]);
      },
      feeds: { x: rand([2, 3, 2, 2], { dtype: 'float32', awayFrom: [0], seed: 11 }), s: rand([3, 1, 1], { dtype: 'float32', low: 0.1, high: 0.5 }) },
      epsilon: EPS,
      tolerance: TOL,
    });
    await check('PRelu scalar and same-shape slopes', {
      build: (b) => {
        const x = b.input('x', 'float32', ['batch', 4]);
        const s = b.input('s', 'float32', [1]);
        const t = b.input('t', 'float32', ['batch', 4]);
        return b.op('Add', [b.op('PRelu', [x, s]), b.op('Mul', [x, b.op('PRelu', [b.op('Neg', [x]), t])])]);
      },
      feeds: {
        x: rand([3, 4], { dtype: 'float32', awayFrom: [0] }),
        s: Tensor.float32([1], [0.25]),
        t: rand([3, 4], { dtype: 'float32', seed: 6 }),
      },
      epsilon: EPS,
      tolerance: TOL,
    });
  });

  it('Mean: one, two and three broadcasting inputs', async () => {
    await check('Mean', {
      build: (b) => {
        const x = b.input('x', 'float32', ['batch', 3, 4]);
        const y = b.input('y', 'float32', [4]);
        const z = b.input('z', 'float32', [3, 1]);
        const m = b.op('Mean', [x, y, z]);
        return b.op('Add', [b.op('Mul', [m, m]), b.op('Mean', [b.op('Mean', [x]), y])]);
      },
      feeds: { x: rand([2, 3, 4], { dtype: 'float32' }), y: rand([4], { dtype: 'float32' }), z: rand([3, 1], { dtype: 'float32' }) },
      epsilon: EPS,
      // z's directional derivatives are small (|⟨g, v⟩| ≈ 0.2, a sum over broadcast axes), so the
      // ~5e-5 absolute float32 noise is a larger share of them.
      tolerance: 1e-3,
    });
  });
});
