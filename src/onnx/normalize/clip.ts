import type { Rule } from './context.js';

/**
 * Clip-6 kept its bounds in float attributes; since opset 11 they are optional scalar inputs of
 * the data's element type. An absent bound was numeric_limits::lowest()/max() before and is
 * still defined so (onnxruntime clamps to those limits either way), so it stays absent.
 */
export const clipRule: Rule = {
  ops: ['Clip'],
  apply(node, rw) {
    if (rw.opset >= 11) return;
    const x = node.inputs[0] ?? '';
    const min = node.has('min') ? rw.scalarLike('clip_min', node.float('min'), x) : '';
    const max = node.has('max') ? rw.scalarLike('clip_max', node.float('max'), x) : '';
    node.inputs = max ? [x, min, max] : min ? [x, min] : [x];
    node.attributes.delete('min');
    node.attributes.delete('max');
  },
};
