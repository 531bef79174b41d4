import { expandToInput, reduceRule } from './reduce-common.js';

/** y = Σ_axes x: dx = dy broadcast back over the reduced axes. */
export const ReduceSum = reduceRule('ReduceSum', (g) => expandToInput(g, g.GO(0)!));
