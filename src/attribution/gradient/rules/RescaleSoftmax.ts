import { ruleFor } from '../../../autodiff/rules/index.js';
import type { GradientRule } from '../../../autodiff/types.js';
import { checkBatchAxis, pairDelta, rescaled } from './pairs.js';

/**
 * Captum's DeepLift rule for Softmax: the rescale multiplier dy · Δy/Δx (ordinary gradient where
 * |Δx| < eps), then minus its mean over the whole tensor — every element of the batch, both
 * halves, as Captum's grad_input_unnorm.sum() / numel does. (So a Softmax model's DeepLift
 * depends on which rows share a run; Captum runs all rows at once.)
 */
export function rescaleSoftmax(eps: number, batch: string | undefined): GradientRule {
  const ordinary = ruleFor('Softmax')!;
  return {
    op: 'Softmax',
    grad: (g) => {
      const x = g.I(0);
      checkBatchAxis(g, x, batch);
      const multiplied = g.op('Mul', [g.GO(0)!, pairDelta(g, g.O(0))]);
      const unnormalized = rescaled(g, pairDelta(g, x), multiplied, ordinary.grad(g)[0]!, eps);
      const mean = g.op('Div', [g.op('ReduceSum', [unnormalized], { keepdims: 0 }), g.op('CastLike', [g.op('Size', [x]), x])]);
      return [g.op('Sub', [unnormalized, mean])];
    },
  };
}
