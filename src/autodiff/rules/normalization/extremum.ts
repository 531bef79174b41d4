import { dtypeToOnnx } from '../../../tensor/dtype.js';
import type { GradContext } from '../../types.js';
import { keepDims, reduceLikeNode } from './reduce-common.js';

/**
 * ReduceMax/ReduceMin: the gradient goes to the elements equal to the result, split evenly
 * among ties: dx = [x = y] · dy / #{x = y}. This is PyTorch's amax/amin (and full max()/min())
 * convention; torch.max(dim) instead routes everything to one index. Between ties the split is
 * a valid subgradient; away from ties it is the exact derivative.
 */
export function extremumGrad(g: GradContext): string {
  const x = g.I(0);
  const mask = g.op('Equal', [x, keepDims(g, g.O(0))]);
  const count = reduceLikeNode(g, 'ReduceSum', g.op('Cast', [mask], { to: dtypeToOnnx(g.dtype(x)) }));
  return g.op('Where', [mask, g.op('Div', [keepDims(g, g.GO(0)!), count]), g.scalar(0, x)]);
}

