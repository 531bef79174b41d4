import { Tensor } from '../../../tensor/tensor.js';
import { tensorToProto } from '../../../onnx/ir/tensor-proto.js';
import type { AttributeInput } from '../../../onnx/ir/attribute.js';
import type { GradContext, GradientRule } from '../../types.js';

/**
 * y = max over each window (padding never wins), with Indices = flat row-major positions in x.
 * dx = dy scattered to the arg-max positions, summed where windows share their maximum:
 * ScatterElements(zeros[x.size], Indices, dy, reduction 'add') reshaped to x. Geometry (pads,
 * strides, dilations, ceil_mode, auto_pad) is all in the saved Indices. Ties go to the first
 * maximum in window order: onnxruntime's Indices pick it (strict >), as PyTorch's max_pool does.
 * storage_order = 1 (column-major Indices) recomputes row-major Indices with a second MaxPool.
 */
export const MaxPool: GradientRule = {
  op: 'MaxPool',
  savedOutputs: (node) => (node.int('storage_order', 0) === 0 ? [1] : []),
  grad: (g) => {
    const x = g.I(0);
    let indices = g.O(1);
    if (g.node.int('storage_order', 0) !== 0) {
      const attrs: Record<string, AttributeInput> = Object.fromEntries(g.node.attributes);
      indices = g.ops('MaxPool', [x], { ...attrs, storage_order: 0 }, 2)[1]!;
    }
    return [scatterAdd(g, x, indices, g.GO(0)!)];
  },
};

/** zeros shaped like x, plus `updates` added at the flat positions `indices` (any shape). */
export function scatterAdd(g: GradContext, x: string, indices: string, updates: string): string {
  const flat = g.ints([-1]);
  const zeros = g.op('ConstantOfShape', [g.op('Reshape', [g.op('Size', [x]), flat])], {
    value: tensorToProto('', Tensor.zeros(g.dtype(x), [1])),
  });
  const summed = g.op('ScatterElements', [zeros, g.op('Reshape', [indices, flat]), g.op('Reshape', [updates, flat])], { axis: 0, reduction: 'add' });
  return g.op('Reshape', [summed, g.shapeOf(x)]);
}
