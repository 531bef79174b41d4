import { dtypeToOnnx } from '../../../tensor/dtype.js';
import type { GradContext, InputGradients } from '../../types.js';

/**
 * Gradients of the variadic, broadcasting Max (`sense` 'max') and Min: dy goes to the inputs that
 * attain the result, split evenly among ties. For two inputs this is PyTorch's
 * torch.maximum/minimum backward (dy/2 to each side of a tie); for more inputs it is what
 * torch.amax/amin do over a stacked axis. Each gradient is summed back to its input's shape.
 */
export function extremumGrad(g: GradContext, sense: 'max' | 'min'): InputGradients {
  const inputs = g.node.inputs;
  const [y, dy] = [g.O(0), g.GO(0)!];
  if (inputs.length === 1) return [dy];
  const zero = g.scalar(0, y);
  if (inputs.length === 2) {
    // torch.maximum: where(a == b, dy/2, dy), zeroed on the side that lost.
    const [a, b] = [inputs[0]!, inputs[1]!];
    const share = g.op('Where', [g.op('Equal', [a, b]), g.op('Mul', [dy, g.scalar(0.5, y)]), dy]);
    const [aLoses, bLoses] = sense === 'max' ? ['Less', 'Greater'] : ['Greater', 'Less'];
    return [
      g.needs(0) ? g.unbroadcast(g.op('Where', [g.op(aLoses, [a, b]), zero, share]), a) : undefined,
      g.needs(1) ? g.unbroadcast(g.op('Where', [g.op(bLoses, [a, b]), zero, share]), b) : undefined,
    ];
  }
  const hits = inputs.map((x) => g.op('Equal', [x, y]));
  const to = dtypeToOnnx(g.dtype(y));
  const share = g.op('Div', [dy, g.op('Sum', hits.map((h) => g.op('Cast', [h], { to })))]);
  return inputs.map((x, i) => (g.needs(i) ? g.unbroadcast(g.op('Where', [hits[i]!, share, zero]), x) : undefined));
}
