import { convRules } from './conv.js';
import { elementwiseRules } from './elementwise.js';
import { indexingRules } from './indexing.js';
import { matmulRules } from './matmul.js';
import { miscRules } from './misc.js';
import { normalizationRules } from './normalization.js';
import { recurrentRules } from './recurrent.js';
import { reduceRules } from './reduce.js';
import { resizeRules } from './resize.js';
import { shapeOpRules } from './shape-ops.js';
import type { Rule } from './types.js';

/** ai.onnx op type -> shape rule. An op missing here leaves its outputs unknown. */
const RULES = new Map<string, Rule>(Object.entries({
  ...elementwiseRules,
  ...matmulRules,
  ...convRules,
  ...reduceRules,
  ...shapeOpRules,
  ...indexingRules,
  ...resizeRules,
  ...normalizationRules,
  ...recurrentRules,
  ...miscRules,
}));

export function ruleFor(opType: string): Rule | undefined {
  return RULES.get(opType);
}

/** The op types that have a rule, sorted. */
export function supportedOps(): string[] {
  return [...RULES.keys()].sort();
}
