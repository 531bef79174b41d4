import type { Rule } from './context.js';

/**
 * Pad-2 kept `pads` and the fill `value` (a float) in attributes; since opset 11 both are
 * inputs, the fill value in the element type of the data. The modes (constant, reflect, edge)
 * mean the same in every version. A fill of 0 is the default and needs no input.
 */
export const padRule: Rule = {
  ops: ['Pad'],
  apply(node, rw) {
    if (rw.opset >= 11) return;
    if (!node.has('pads')) throw rw.fail(node, 'the required attribute "pads" is missing');
    const x = node.inputs[0] ?? '';
    const mode = node.string('mode', 'constant');
    const value = node.float('value', 0);
    node.inputs = [x, rw.int64s('pads', node.ints('pads'))];
    if (mode === 'constant' && value !== 0) node.inputs.push(rw.scalarLike('pad_value', value, x));
    node.attributes.delete('pads');
    node.attributes.delete('value');
  },
};
