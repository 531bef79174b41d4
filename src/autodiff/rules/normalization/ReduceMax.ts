import { extremumGrad } from './extremum.js';
import { reduceRule } from './reduce-common.js';

/** y = max_axes x; ties share the gradient evenly (PyTorch amax), see extremum.ts. */
export const ReduceMax = reduceRule('ReduceMax', extremumGrad);
