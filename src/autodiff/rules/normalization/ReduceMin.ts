import { extremumGrad } from './extremum.js';
import { reduceRule } from './reduce-common.js';

/** y = min_axes x; ties share the gradient evenly (PyTorch amin), see extremum.ts. */
export const ReduceMin = reduceRule('ReduceMin', extremumGrad);
