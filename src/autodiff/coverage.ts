/**
 * Which operators the gradient builder can differentiate. Rules register themselves in
 * rules/registry.ts; this module answers "which ops of this model have no rule yet" for
 * `glassbox inspect` and for the builder's own error messages.
 */
import { RECURRENT_OPS } from './lower/index.js';
import { hasRule } from './rules/index.js';

/**
 * Ops whose outputs carry no gradient (integer, boolean or shape results, or piecewise-constant
 * values): the builder passes through them without a rule.
 */
export const NON_DIFFERENTIABLE_OPS: ReadonlySet<string> = new Set([
  'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Range', 'EyeLike', 'OneHot',
  'Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor',
  'IsNaN', 'IsInf', 'NonZero', 'ArgMax', 'ArgMin', 'Hardmax', 'Sign', 'Floor', 'Ceil', 'Round',
  'RandomNormal', 'RandomNormalLike', 'RandomUniform', 'RandomUniformLike', 'Bernoulli', 'Multinomial',
  'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'BitwiseNot', 'Unique', 'StringNormalizer',
]);

/** Whether the builder can take gradients through `op`: a rule, or lowering (LSTM/GRU/RNN). */
export function isDifferentiable(op: string): boolean {
  return hasRule(op) || RECURRENT_OPS.has(op);
}

/** Op types among `ops` that are differentiable in principle but have no rule yet, sorted. */
export function missingGradientRules(ops: Iterable<string>): string[] {
  const missing = new Set<string>();
  for (const op of ops) if (!NON_DIFFERENTIABLE_OPS.has(op) && !isDifferentiable(op)) missing.add(op);
  return [...missing].sort();
}
