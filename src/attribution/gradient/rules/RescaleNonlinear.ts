import { GlassboxError } from '../../../util/errors.js';
import { ruleFor } from '../../../autodiff/rules/index.js';
import type { GradientRule } from '../../../autodiff/types.js';
import { checkBatchAxis, pairDelta, rescaled } from './pairs.js';

/**
 * DeepLift's rescale rule for an elementwise nonlinearity y = f(x) (Captum's `nonlinear`):
 * dx = dy · Δy/Δx with Δ = input row − its reference row, the same multiplier for both halves;
 * where |Δx| < eps, the ordinary derivative (the op's registered rule).
 */
export function rescaleNonlinear(op: string, eps: number, batch: string | undefined): GradientRule {
  const ordinary = ruleFor(op);
  if (!ordinary) throw new GlassboxError('internal', `no gradient rule for ${op} to fall back on`);
  return {
    op,
    grad: (g) => {
      checkBatchAxis(g, g.I(0), batch);
      const multiplied = g.op('Mul', [g.GO(0)!, pairDelta(g, g.O(0))]);
      return [rescaled(g, pairDelta(g, g.I(0)), multiplied, ordinary.grad(g)[0]!, eps)];
    },
  };
}
