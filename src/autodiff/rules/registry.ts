import { GlassboxError } from '../../util/errors.js';
import type { GradientRule } from '../types.js';

/**
 * The table of gradient rules, one per ONNX op type. Registering an op twice is an error:
 * a silent overwrite would hide a bug.
 */
const rules = new Map<string, GradientRule>();

export function registerRules(list: readonly GradientRule[]): void {
  for (const rule of list) {
    if (rules.has(rule.op)) throw new GlassboxError('internal', `a gradient rule for ${rule.op} is registered twice`);
    rules.set(rule.op, rule);
  }
}

export function ruleFor(opType: string): GradientRule | undefined {
  return rules.get(opType);
}

export function hasRule(opType: string): boolean {
  return rules.has(opType);
}

export function registeredOps(): string[] {
  return [...rules.keys()].sort();
}
