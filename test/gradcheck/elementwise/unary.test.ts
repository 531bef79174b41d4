import { describe, expect, it } from 'vitest';
import { rand } from '../harness.js';
import { buildModel } from '../harness.js';
import { GradientSession } from '../../../src/engine/gradient-session.js';
import { check } from './check.js';

// float64: onnxruntime's CPU build has double kernels for these ops and for every op their
// rules emit, so central differences reach the harness's default 1e-6.
describe('elementwise unary rules (float64)', () => {
  it('Abs, Sqrt, Reciprocal, Exp, Log', async () => {
    await check('Abs/Sqrt/Reciprocal/Exp/Log', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 3, 4]);
        const a = b.op('Abs', [x]);
        const s = b.op('Sqrt', [a]);
        const r = b.op('Reciprocal', [b.op('Add', [s, a])]);
        return b.op('Add', [b.op('Log', [b.op('Exp', [r])]), b.op('Mul', [b.op('Log', [a]), s])]);
      },
      feeds: { x: rand([2, 3, 4], { awayFrom: [0] }) },
    });
  });

  it('Sin, Cos', async () => {
    await check('Sin/Cos', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 5]);
        return b.op('Mul', [b.op('Sin', [x]), b.op('Cos', [b.op('Mul', [x, x])])]);
      },
      feeds: { x: rand([3, 5]) },
    });
  });

  it('Relu, Tanh, Sigmoid, Identity', async () => {
    await check('Relu/Tanh/Sigmoid/Identity', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 5]);
        return b.op('Sigmoid', [b.op('Identity', [b.op('Tanh', [b.op('Relu', [x])])])]);
      },
      feeds: { x: rand([3, 5], { awayFrom: [0] }) },
    });
  });

  it('Cast: float64 → float32 → float64, and float32 → float64', async () => {
    await check('Cast f32→f64', {
      build: (b) => {
        const x = b.input('x', 'float32', ['batch', 4]);
        const d = b.op('Cast', [x], { to: 11 });
        return b.op('Mul', [d, b.op('Sin', [d])]);
      },
      feeds: { x: rand([2, 4], { dtype: 'float32' }) },
      // x is float32: x ± εv is rounded to float32 (relative 6e-8); with ε = 1e-3 · scale that
      // costs ~2e-5 and the O(ε²) truncation ~1e-5.
      epsilon: 1e-3,
      tolerance: 1e-3,
    });
    await check('Cast f64→f32→f64', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 4]);
        const f = b.op('Cast', [b.op('Mul', [x, x])], { to: 1 });
        return b.op('Cast', [b.op('Mul', [f, f])], { to: 11 }); // x⁴ computed in float32
      },
      feeds: { x: rand([3, 4], { low: 0.5, high: 1.5 }) },
      // The path runs in float32, so the default ε = 1e-6 would drown in rounding; at 1e-3
      // rounding (6e-8 / 1e-3) and truncation (ε² · f'''/f' ≈ 1e-6) stay near 1e-4.
      epsilon: 1e-3,
      tolerance: 2e-3,
    });
  });

  it('Dropout: identity at inference (with and without ratio), an error when training_mode is an input', async () => {
    await check('Dropout', {
      build: (b) => {
        const x = b.input('x', 'float64', ['batch', 4]);
        const d = b.op('Dropout', [x]);
        const r = b.op('Dropout', [b.op('Mul', [d, d]), b.input('ratio', 'float64', [])]);
        return r;
      },
      feeds: { x: rand([2, 4]), ratio: rand([], { low: 0.2, high: 0.3 }) },
      wrt: ['x'],
    });
    const { model, outputs } = buildModel((b) => {
      const x = b.input('x', 'float64', ['batch', 4]);
      return b.op('Dropout', [x, '', b.input('training', 'bool', [])]);
    });
    await expect(GradientSession.create(model, { of: outputs, wrt: ['x'] })).rejects.toThrow(/training mode/);
  });
});
