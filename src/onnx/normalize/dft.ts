import type { Rule } from './context.js';

/**
 * DFT-17 took `axis` as an attribute (default 1); DFT-20 takes it as an optional third input
 * whose default is -2, so the old default must be passed explicitly.
 */
export const dftRule: Rule = {
  ops: ['DFT'],
  apply(node, rw) {
    if (rw.opset >= 20) return;
    const axis = node.int('axis', 1);
    node.attributes.delete('axis');
    node.inputs = [node.inputs[0] ?? '', node.inputs[1] ?? '', rw.int64Scalar('dft_axis', axis)];
  },
};
