import type { Rule } from './context.js';

/**
 * Before opset 13, Softmax/LogSoftmax/Hardmax(axis=a) flattened the input to 2-D at `a` and
 * normalised each row over all trailing dimensions together; since 13 they normalise along
 * the one axis `a`. Both agree when `a` is the last axis. Otherwise the old meaning is spelled
 * out: Flatten(a) -> op(axis=-1) -> Reshape back to the input's shape.
 */
export const softmaxRule: Rule = {
  ops: ['Softmax', 'LogSoftmax', 'Hardmax'],
  apply(node, rw) {
    if (rw.opset >= 13) return;
    const axis = node.int('axis', 1);
    const x = node.inputs[0] ?? '';
    const rank = rw.facts.rank(x);
    if (axis === -1 || (rank !== undefined && axis === rank - 1)) {
      node.setAttr('axis', -1);
      return;
    }
    const output = node.outputs[0] ?? '';
    const flat = rw.op('Flatten', [x], { axis });
    const rows = rw.fresh(`${output}_2d`);
    node.inputs = [flat];
    node.outputs = [rows];
    node.setAttr('axis', -1);
    rw.opInto('Reshape', [rows, rw.op('Shape', [x])], [output]);
  },
};
