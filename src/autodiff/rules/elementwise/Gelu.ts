import { GlassboxError } from '../../../util/errors.js';
import type { GradContext, GradientRule } from '../../types.js';

const SQRT1_2 = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const BETA = Math.sqrt(2 / Math.PI);
const KAPPA = 0.044715;

/**
 * Gelu (opset 20), PyTorch's gelu_backward for both variants:
 * - approximate 'none': y = x·Φ(x), dx = dy · (Φ(x) + x·φ(x)). With u = x/√2 this is
 *   dy · ½ · (1 + erf(u) + 2/√π · u · e^{−u²}).
 * - approximate 'tanh': y = ½x(1 + tanh(β(x + κx³))) = x·σ(2β(x + κx³)) (β = √(2/π), κ = 0.044715),
 *   dx = dy · (s + x·s(1 − s)·2β(1 + 3κx²)) with s = σ(2β(x + κx³)), the same derivative written
 *   with one Sigmoid instead of Tanh and (1 − tanh²).
 */
export const Gelu: GradientRule = {
  op: 'Gelu',
  grad: (g) => {
    const approximate = g.node.string('approximate', 'none');
    if (approximate === 'none') return [g.op('Mul', [g.GO(0)!, exactSlope(g, g.I(0))])];
    if (approximate === 'tanh') return [g.op('Mul', [g.GO(0)!, tanhSlope(g, g.I(0))])];
    throw new GlassboxError('bad-model', `${g.node.describe()} has approximate="${approximate}"; Gelu allows "none" or "tanh"`);
  },
};

function exactSlope(g: GradContext, x: string): string {
  const u = g.op('Mul', [x, g.scalar(SQRT1_2, x)]);
  const gauss = g.op('Exp', [g.op('Neg', [g.op('Mul', [u, u])])]);
  const pdfTerm = g.op('Mul', [g.op('Mul', [u, gauss]), g.scalar(TWO_OVER_SQRT_PI, x)]);
  const sum = g.op('Add', [g.op('Add', [g.op('Erf', [u]), pdfTerm]), g.scalar(1, x)]);
  return g.op('Mul', [sum, g.scalar(0.5, x)]);
}

function tanhSlope(g: GradContext, x: string): string {
  const x2 = g.op('Mul', [x, x]);
  // 2β(x + κx³) = x · (2βκ·x² + 2β); its derivative 2β(1 + 3κx²) = 6βκ·x² + 2β.
  const twoInner = g.op('Mul', [x, g.op('Add', [g.op('Mul', [x2, g.scalar(2 * BETA * KAPPA, x)]), g.scalar(2 * BETA, x)])]);
  const twoInnerSlope = g.op('Add', [g.op('Mul', [x2, g.scalar(6 * BETA * KAPPA, x)]), g.scalar(2 * BETA, x)]);
  const s = g.op('Sigmoid', [twoInner]);
  const ds = g.op('Mul', [s, g.op('Sub', [g.scalar(1, x), s])]);
  return g.op('Add', [s, g.op('Mul', [g.op('Mul', [x, twoInnerSlope]), ds])]);
}
