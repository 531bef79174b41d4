/** Products, convolutions and pooling. */
import type { GradientRule } from '../../types.js';
import { AveragePool } from './AveragePool.js';
import { Conv } from './Conv.js';
import { ConvTranspose } from './ConvTranspose.js';
import { Einsum } from './Einsum.js';
import { Gemm } from './Gemm.js';
import { GlobalAveragePool } from './GlobalAveragePool.js';
import { GlobalLpPool } from './GlobalLpPool.js';
import { GlobalMaxPool } from './GlobalMaxPool.js';
import { LpPool } from './LpPool.js';
import { MatMul } from './MatMul.js';
import { MaxPool } from './MaxPool.js';

export const LINALG_RULES: readonly GradientRule[] = [
  AveragePool, Conv, ConvTranspose, Einsum, Gemm, GlobalAveragePool, GlobalLpPool, GlobalMaxPool, LpPool, MatMul, MaxPool,
];
