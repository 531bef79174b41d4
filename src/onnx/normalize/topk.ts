import type { Rule } from './context.js';

/** TopK-1 had `k` as an attribute; since opset 10 it is a 1-element int64 input. */
export const topkRule: Rule = {
  ops: ['TopK'],
  apply(node, rw) {
    if (rw.opset >= 10) return;
    if (!node.has('k')) throw rw.fail(node, 'the required attribute "k" is missing');
    node.inputs = [node.inputs[0] ?? '', rw.int64s('k', [node.int('k')])];
    node.attributes.delete('k');
  },
};
