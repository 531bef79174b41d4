import type { Rule } from './context.js';

/**
 * Slice-1 kept starts/ends/axes in attributes; since opset 10 they are inputs (with an optional
 * `steps` that Slice-1 did not have). INT64_MAX "to the end" sentinels are kept exactly.
 */
export const sliceRule: Rule = {
  ops: ['Slice'],
  apply(node, rw) {
    if (rw.opset >= 10) return;
    if (!node.has('starts') || !node.has('ends')) throw rw.fail(node, 'the required attributes "starts" and "ends" are missing');
    const inputs = [node.inputs[0] ?? '', rw.int64s('starts', node.ints('starts')), rw.int64s('ends', node.ints('ends'))];
    if (node.has('axes')) inputs.push(rw.int64s('axes', node.ints('axes')));
    for (const key of ['starts', 'ends', 'axes']) node.attributes.delete(key);
    node.inputs = inputs;
  },
};
