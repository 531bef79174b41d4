import { dtypeToOnnx } from '../../../tensor/dtype.js';
import { keepDims, reduceLikeNode, reduceRule } from './reduce-common.js';

/**
 * y = Π_axes x, exact with zeros (as PyTorch's prod backward): with p = the product of the
 * non-zero elements and z = the number of zeros in each reduced group,
 *   dx_i = dy · p / x_i   where z = 0,
 *   dx_i = dy · p          for the one zero where z = 1, 0 for the others,
 *   dx_i = 0              where z ≥ 2.
 * Divisions only ever see non-zero elements (zeros are replaced by 1), so the backward graph
 * stays finite for second order.
 */
export const ReduceProd = reduceRule('ReduceProd', (g) => {
  const x = g.I(0);
  const zero = g.scalar(0, x);
  const isZero = g.op('Equal', [x, zero]);
  const safe = g.op('Where', [isZero, g.scalar(1, x), x]);
  const product = reduceLikeNode(g, 'ReduceProd', safe);
  const zeros = reduceLikeNode(g, 'ReduceSum', g.op('Cast', [isZero], { to: dtypeToOnnx(g.dtype(x)) }));
  const ifNone = g.op('Where', [g.op('Equal', [zeros, zero]), product, zero]);
  const ifOne = g.op('Where', [g.op('Equal', [zeros, g.scalar(1, x)]), product, zero]);
  const local = g.op('Where', [isZero, ifOne, g.op('Div', [ifNone, safe])]);
  return g.op('Mul', [local, keepDims(g, g.GO(0)!)]);
});

