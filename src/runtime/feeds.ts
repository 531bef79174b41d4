import { GlassboxError } from '../util/errors.js';
import { dtypeFromOnnx, isFloat, onnxDTypeName } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ValueInfo } from '../onnx/ir/value.js';

export type Feeds = Record<string, Tensor>;

export interface FeedCheckOptions {
  /** Accept NaN in float inputs (rejected by default: it poisons every downstream number). */
  allowNaN?: boolean;
}

/**
 * Checks feeds against the declared graph inputs before onnxruntime sees them: names, element
 * types, ranks, static dims, symbolic dims that must agree across inputs, and NaN.
 */
export function checkFeeds(inputs: readonly ValueInfo[], feeds: Feeds, options: FeedCheckOptions = {}): void {
  const declared = new Map(inputs.map((v) => [v.name, v]));
  const names = inputs.map((v) => `"${v.name}"`).join(', ');
  for (const name of Object.keys(feeds)) {
    if (!declared.has(name)) throw new GlassboxError('bad-input', `the model has no input "${name}" (its inputs: ${names})`);
  }
  const symbols = new Map<string, { value: number; input: string }>();
  for (const info of inputs) {
    const tensor = feeds[info.name];
    if (!tensor) throw new GlassboxError('bad-input', `missing input "${info.name}" (the model needs: ${names})`);
    const want = info.elemType === undefined ? undefined : dtypeFromOnnx(info.elemType);
    if (info.elemType !== undefined && tensor.dtype !== want) {
      throw new GlassboxError('bad-input', `input "${info.name}" must be ${want ?? onnxDTypeName(info.elemType)}, got ${tensor.dtype}`);
    }
    if (tensor.size === 0) {
      // onnxruntime 1.30 aborts the process on empty tensors in some kernels (GRU, LSTM,
      // attention with an empty sequence), so empty inputs never reach it.
      throw new GlassboxError('bad-input', `input "${info.name}" is empty (shape ${formatShape(tensor.shape)}); every dimension must be at least 1`);
    }
    if (info.shape) {
      if (info.shape.length !== tensor.rank) {
        throw new GlassboxError('bad-input', `input "${info.name}" must have ${info.shape.length} dimensions ${formatShape(info.shape)}, got shape ${formatShape(tensor.shape)}`);
      }
      info.shape.forEach((dim, axis) => {
        const got = tensor.shape[axis]!;
        if (typeof dim === 'number' && dim !== got) {
          throw new GlassboxError('bad-input', `input "${info.name}" must have shape ${formatShape(info.shape!)}, got ${formatShape(tensor.shape)} (dimension ${axis} should be ${dim})`);
        }
        if (typeof dim === 'string' && dim !== '') {
          const seen = symbols.get(dim);
          if (seen && seen.value !== got) {
            throw new GlassboxError('bad-input', `dimension "${dim}" is ${seen.value} in input "${seen.input}" but ${got} in input "${info.name}"`);
          }
          symbols.set(dim, { value: got, input: info.name });
        }
      });
    }
    if (!options.allowNaN && isFloat(tensor.dtype) && tensor.dtype !== 'float16' && tensor.dtype !== 'bfloat16') {
      const data = tensor.data as Float32Array | Float64Array;
      for (let i = 0; i < data.length; i++) {
        if (Number.isNaN(data[i])) throw new GlassboxError('bad-input', `input "${info.name}" contains NaN (at flat index ${i})`);
      }
    }
  }
}
