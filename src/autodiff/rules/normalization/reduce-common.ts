/**
 * What every Reduce* rule shares. Canonical form: axes are the optional input 1 (int64, negative
 * allowed, possibly computed at run time); no axes, or an empty axes tensor, reduces everything
 * unless noop_with_empty_axes = 1, in which case onnxruntime applies the op to each element on
 * its own (ReduceSumSquare gives x², ReduceL1 |x|, ReduceLogSum log x, ...). The rules never read
 * axis values: they broadcast reduced values back with the forward node's own axes input and
 * repeat its reductions with the same axes and noop flag, so every variant follows the forward.
 */
import type { AttributeInput } from '../../../onnx/ir/attribute.js';
import type { GradContext, GradientRule, InputGradients } from '../../types.js';
import { knownShape } from './common.js';

/** Whether the node provably reduces nothing (no or empty axes with noop_with_empty_axes = 1). */
export function isNoop(g: GradContext): boolean {
  if (g.node.int('noop_with_empty_axes', 0) !== 1) return false;
  const axes = g.I(1);
  if (!axes) return true;
  return knownShape(g, axes)?.[0] === 0;
}

/**
 * A value shaped like the output Y, in keepdims form so it broadcasts against the input X:
 * unchanged when keepdims = 1 or nothing was reduced or everything was (a scalar broadcasts);
 * otherwise Unsqueeze at the node's axes (negative axes count from X's rank, as Unsqueeze's
 * do from its output's rank, which is X's rank).
 */
export function keepDims(g: GradContext, v: string): string {
  if (g.node.int('keepdims', 1) === 1 || isNoop(g)) return v;
  const rx = g.rank(g.I(0));
  const ry = reducedRank(g, rx);
  if (ry === rx || ry === 0) return v;
  return g.op('Unsqueeze', [v, g.I(1)]);
}

function reducedRank(g: GradContext, rx: number): number | undefined {
  const y = knownShape(g, g.O(0));
  if (y) return y.length;
  const axes = g.I(1);
  if (!axes) return 0;
  const k = knownShape(g, axes)?.[0];
  if (typeof k === 'number') return k === 0 ? (g.node.int('noop_with_empty_axes', 0) === 1 ? rx : 0) : rx - k;
  return undefined;
}

/** Re-applies a reduction over the node's own axes with keepdims = 1 and its noop flag. */
export function reduceLikeNode(g: GradContext, opType: string, v: string): string {
  const attributes: Record<string, AttributeInput> = { keepdims: 1 };
  if (g.node.int('noop_with_empty_axes', 0) === 1) attributes.noop_with_empty_axes = 1;
  return g.op(opType, g.I(1) ? [v, g.I(1)] : [v], attributes);
}

/** dX = broadcast of `v` (shaped like Y) to X's shape. */
export function expandToInput(g: GradContext, v: string): string {
  if (isNoop(g)) return v;
  return g.op('Expand', [keepDims(g, v), g.shapeOf(g.I(0))]);
}

/** A Reduce* rule: axes (input 1) carry no gradient. */
export function reduceRule(op: string, grad: (g: GradContext) => string): GradientRule {
  return {
    op,
    nonDifferentiableInputs: [1],
    grad: (g): InputGradients => [grad(g)],
  };
}
