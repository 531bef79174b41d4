import { Tensor } from '../../tensor/tensor.js';
import { tensorToProto } from '../ir/tensor-proto.js';
import type { Rewriter, Rule } from './context.js';

const TRUE = tensorToProto('value', new Tensor('bool', [1], Uint8Array.of(1)));

/**
 * Dropout at inference is the identity. Since opset 12 it can be switched into training by a
 * `training_mode` input; only a constant false (or no input) is inference. A mask output that is
 * read becomes an all-true tensor of the input's shape, as the ONNX spec defines it for
 * inference (element type bool since opset 10, the data's type before).
 */
export const dropoutRule: Rule = {
  ops: ['Dropout'],
  apply(node, rw) {
    const training = node.input(2);
    if (training !== undefined && rw.constantNumbers(training)?.[0] !== 0) {
      throw rw.fail(node, 'training_mode is not a constant false, so the dropout is random and cannot become an Identity');
    }
    const x = node.inputs[0] ?? '';
    const mask = node.outputs[1];
    if (mask && rw.isUsed(mask)) writeMask(rw, x, mask);
    node.opType = 'Identity';
    node.inputs = [x];
    node.outputs = [node.outputs[0] ?? ''];
    node.attributes.clear();
  },
};

function writeMask(rw: Rewriter, x: string, mask: string): void {
  const shape = rw.op('Shape', [x]);
  if (rw.opset >= 10) {
    rw.opInto('ConstantOfShape', [shape], [mask], { value: TRUE });
    return;
  }
  // Opset 7-9: the mask has the data's element type.
  const dtype = rw.dtype(x);
  if (dtype === 'float32' || dtype === 'float64') {
    rw.opInto('ConstantOfShape', [shape], [mask], { value: tensorToProto('value', dtype === 'float32' ? Tensor.float32([1], [1]) : Tensor.float64([1], [1])) });
  } else {
    rw.opInto('CastLike', [rw.op('ConstantOfShape', [shape], { value: TRUE }), x], [mask]);
  }
}
