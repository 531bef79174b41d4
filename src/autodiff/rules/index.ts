/**
 * Every gradient rule, registered once. One file per op, grouped by family; adding a rule
 * means writing rules/<family>/<Op>.ts and listing it in that family's index.
 */
import type { GradientRule } from '../types.js';
import { ELEMENTWISE_RULES } from './elementwise/index.js';
import { LINALG_RULES } from './linalg/index.js';
import { NORMALIZATION_RULES } from './normalization/index.js';
import { registerRules } from './registry.js';
import { SHAPE_RULES } from './shape/index.js';

export const ALL_RULES: readonly GradientRule[] = [...ELEMENTWISE_RULES, ...LINALG_RULES, ...NORMALIZATION_RULES, ...SHAPE_RULES];

registerRules(ALL_RULES);

export { ruleFor, hasRule, registeredOps } from './registry.js';
