/** Normalisation layers, softmax family and reductions. */
import type { GradientRule } from '../../types.js';
import { BatchNormalization } from './BatchNormalization.js';
import { CumSum } from './CumSum.js';
import { GroupNormalization } from './GroupNormalization.js';
import { InstanceNormalization } from './InstanceNormalization.js';
import { LayerNormalization } from './LayerNormalization.js';
import { LogSoftmax } from './LogSoftmax.js';
import { ReduceL1 } from './ReduceL1.js';
import { ReduceL2 } from './ReduceL2.js';
import { ReduceLogSum } from './ReduceLogSum.js';
import { ReduceLogSumExp } from './ReduceLogSumExp.js';
import { ReduceMax } from './ReduceMax.js';
import { ReduceMean } from './ReduceMean.js';
import { ReduceMin } from './ReduceMin.js';
import { ReduceProd } from './ReduceProd.js';
import { ReduceSum } from './ReduceSum.js';
import { ReduceSumSquare } from './ReduceSumSquare.js';
import { Softmax } from './Softmax.js';

/** Hardmax is piecewise constant (zero gradient almost everywhere): it belongs in NON_DIFFERENTIABLE_OPS. */
export const NORMALIZATION_RULES: readonly GradientRule[] = [
  BatchNormalization, CumSum, GroupNormalization, InstanceNormalization, LayerNormalization, LogSoftmax,
  ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceMax, ReduceMean, ReduceMin, ReduceProd, ReduceSum, ReduceSumSquare,
  Softmax,
];
