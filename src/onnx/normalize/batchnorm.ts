import type { Rule } from './context.js';

/**
 * BatchNormalization in inference form has exactly one output. Before opset 14 the number of
 * outputs chose the mode: a node declaring its statistics outputs is in training mode and
 * normalises with batch statistics (ONNX spec, and what onnxruntime computes), which no
 * inference form reproduces. Since 14 the mode is `training_mode`; statistics outputs of an
 * inference node carry nothing, so they are dropped unless something reads them.
 */
export const batchNormRule: Rule = {
  ops: ['BatchNormalization'],
  apply(node, rw) {
    if (node.int('training_mode', 0) !== 0) throw rw.fail(node, 'training_mode=1 normalises with batch statistics; only inference BatchNormalization is supported');
    const extra = node.outputs.slice(1).filter((name) => name !== '');
    if (rw.opset < 14 && extra.length > 0) {
      throw rw.fail(node, `it declares training outputs (${extra.map((n) => `"${n}"`).join(', ')}), which makes it normalise with batch statistics; only inference BatchNormalization is supported`);
    }
    const used = extra.filter((name) => rw.isUsed(name));
    if (used.length > 0) throw rw.fail(node, `its training outputs (${used.map((n) => `"${n}"`).join(', ')}) are used; only inference BatchNormalization is supported`);
    node.outputs = [node.outputs[0] ?? ''];
    node.attributes.delete('training_mode');
  },
};
