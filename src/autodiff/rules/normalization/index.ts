/** Normalisation layers, softmax family and reductions. */
import type { GradientRule } from '../../types.js';

export const NORMALIZATION_RULES: readonly GradientRule[] = [];
