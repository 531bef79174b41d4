import type { Rule } from './context.js';

/**
 * Split: sizes move from the `split` attribute to an input (opset 13), and since opset 18 a
 * Split without sizes must say into how many parts (`num_outputs`). Before 18 such a split had
 * to be even, which num_outputs = number of outputs reproduces exactly.
 */
export const splitRule: Rule = {
  ops: ['Split'],
  apply(node, rw) {
    if (rw.opset < 13) {
      const split = node.has('split') ? node.ints('split') : [];
      node.attributes.delete('split');
      node.inputs = [node.inputs[0] ?? ''];
      if (split.length > 0) node.inputs.push(rw.int64s('split', split));
    }
    if (rw.opset < 18 && !node.input(1)) {
      node.inputs = [node.inputs[0] ?? ''];
      node.setAttr('num_outputs', node.outputs.length);
    }
  },
};
