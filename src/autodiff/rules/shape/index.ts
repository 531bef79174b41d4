/** Shape, indexing and data-movement ops. */
import type { GradientRule } from '../../types.js';

export const SHAPE_RULES: readonly GradientRule[] = [];
