import { Tensor } from '../../tensor/tensor.js';
import type { TensorProto } from '../proto/types.js';
import type { Node } from '../ir/node.js';
import { tensorFromProto } from '../ir/tensor-proto.js';
import { int64Tensor } from './int64.js';

/**
 * The tensor a Constant node produces, whichever attribute carries it (value, or the
 * value_float(s)/value_int(s)/value_string(s) shorthands of opset 12). Undefined for
 * sparse_value and anything else that is not a dense tensor.
 */
function ofNode(node: Node): Tensor | undefined {
  for (const [key, attr] of node.attributes) {
    switch (key) {
      case 'value': return attr.type === 'tensor' ? ofInitializer(attr.value) : undefined;
      case 'value_float': return attr.type === 'float' || attr.type === 'int' ? Tensor.float32([], [attr.value]) : undefined;
      case 'value_floats': return attr.type === 'floats' || attr.type === 'ints' ? Tensor.float32([attr.value.length], attr.value) : undefined;
      case 'value_int': return attr.type === 'int' ? int64Tensor([attr.value], []) : undefined;
      case 'value_ints': return attr.type === 'ints' ? int64Tensor(attr.value) : undefined;
      case 'value_string': return attr.type === 'string' ? new Tensor('string', [], [attr.value]) : undefined;
      case 'value_strings': return attr.type === 'strings' ? new Tensor('string', [attr.value.length], [...attr.value]) : undefined;
    }
  }
  return undefined;
}

/** Decoded values, or undefined for element types glassbox does not compute with. */
function ofInitializer(proto: TensorProto): Tensor | undefined {
  try {
    return tensorFromProto(proto);
  } catch {
    return undefined;
  }
}

export const constantValue = { ofNode, ofInitializer };
