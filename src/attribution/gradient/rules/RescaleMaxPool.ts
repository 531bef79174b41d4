import { ruleFor } from '../../../autodiff/rules/index.js';
import { scatterAdd } from '../../../autodiff/rules/linalg/MaxPool.js';
import type { AttributeInput } from '../../../onnx/ir/attribute.js';
import type { GradientRule } from '../../../autodiff/types.js';
import { checkBatchAxis, halves, pairDelta, rescaled, twice } from './pairs.js';

/**
 * Captum's DeepLift rule for MaxPool. With y, y′ the pooled input and reference and m = max(y, y′):
 * the input half sends dy · (m − y′) to its own arg-max positions, the reference half sends
 * dy · (y − m) to its arg-max positions; the two spreads are summed, and divided by Δx = x − x′
 * (the same for both halves); where |Δx| < eps, the ordinary MaxPool gradient.
 */
export function rescaleMaxPool(eps: number, batch: string | undefined): GradientRule {
  const ordinary = ruleFor('MaxPool')!;
  return {
    op: 'MaxPool',
    ...(ordinary.savedOutputs ? { savedOutputs: ordinary.savedOutputs } : {}),
    grad: (g) => {
      const x = g.I(0);
      checkBatchAxis(g, x, batch);
      // Row-major flat arg-max positions over the whole batch (MaxPool's Indices output).
      const indices = g.node.int('storage_order', 0) === 0
        ? g.O(1)
        : g.ops('MaxPool', [x], { ...(Object.fromEntries(g.node.attributes) as Record<string, AttributeInput>), storage_order: 0 }, 2)[1]!;
      const [y, yRef] = halves(g, g.O(0));
      const top = g.op('Max', [y, yRef]);
      const deltaOut = g.op('Concat', [g.op('Sub', [top, yRef]), g.op('Sub', [y, top])], { axis: 0 });
      const [spread, spreadRef] = halves(g, scatterAdd(g, x, indices, g.op('Mul', [g.GO(0)!, deltaOut])));
      const numerator = twice(g, g.op('Add', [spread, spreadRef]));
      return [rescaled(g, pairDelta(g, x), numerator, ordinary.grad(g)[0]!, eps)];
    },
  };
}
