/** Products, convolutions and pooling. */
import type { GradientRule } from '../../types.js';
import { Gemm } from './Gemm.js';
import { MatMul } from './MatMul.js';

export const LINALG_RULES: readonly GradientRule[] = [Gemm, MatMul];
