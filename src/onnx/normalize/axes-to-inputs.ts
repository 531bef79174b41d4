import type { Node } from '../ir/node.js';
import type { Rewriter, Rule } from './context.js';

/** Reductions and the opset at which their `axes` attribute became an input. */
const REDUCE_SINCE: Record<string, number> = {
  ReduceSum: 13,
  ReduceMean: 18, ReduceMax: 18, ReduceMin: 18, ReduceProd: 18, ReduceL1: 18, ReduceL2: 18,
  ReduceLogSum: 18, ReduceLogSumExp: 18, ReduceSumSquare: 18,
};

/**
 * Moves the `axes` attribute to the second input. Without axes the node keeps one input: for
 * Reduce* "no axes" still means "all axes" (noop_with_empty_axes defaults to 0), for Squeeze
 * "every dimension of size 1"; both as before.
 */
function axesToInput(node: Node, rw: Rewriter): void {
  const axes = node.has('axes') ? node.ints('axes') : [];
  node.attributes.delete('axes');
  node.inputs = axes.length > 0 ? [node.inputs[0] ?? '', rw.int64s('axes', axes)] : [node.inputs[0] ?? ''];
}

export const reduceRule: Rule = {
  ops: Object.keys(REDUCE_SINCE),
  apply(node, rw) {
    if (rw.opset < REDUCE_SINCE[node.opType]!) axesToInput(node, rw);
  },
};

export const squeezeRule: Rule = {
  ops: ['Squeeze', 'Unsqueeze'],
  apply(node, rw) {
    if (rw.opset >= 13) return;
    if (node.opType === 'Unsqueeze' && !node.has('axes')) throw rw.fail(node, 'the required attribute "axes" is missing');
    axesToInput(node, rw);
  },
};
