import { keepDims, reduceRule } from './reduce-common.js';

/** y = Σ_axes |x|: dx = sign(x) · dy, so 0 at x = 0 (PyTorch's abs and norm(p=1) subgradient). */
export const ReduceL1 = reduceRule('ReduceL1', (g) => g.op('Mul', [g.op('Sign', [g.I(0)]), keepDims(g, g.GO(0)!)]));
