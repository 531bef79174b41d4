import type { Rule } from './context.js';

/**
 * Experimental ops of the early opsets that were dropped from ONNX without a successor
 * (onnxruntime does not implement them at any later opset either).
 */
export const removedOpsRule: Rule = {
  ops: ['ATen', 'Affine', 'ConstantFill', 'Crop', 'DynamicSlice', 'GRUUnit', 'GivenTensorFill', 'ImageScaler', 'ParametricSoftplus', 'Scale', 'ScaledTanh'],
  apply(node, rw) {
    throw rw.fail(node, 'this experimental operator was removed from ONNX and has no opset-21 equivalent');
  },
};
