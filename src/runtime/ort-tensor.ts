import ort from 'onnxruntime-node';
import { GlassboxError } from '../util/errors.js';
import { isDType, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** Our Tensor → onnxruntime's (shares the data, no copy). */
export function toOrt(tensor: Tensor): ort.Tensor {
  return new ort.Tensor(tensor.dtype as ort.Tensor.Type, tensor.data as never, tensor.shape as number[]);
}

/** onnxruntime's tensor → ours (shares the data, no copy). */
export function fromOrt(value: ort.OnnxValue, name: string): Tensor {
  if (!(value instanceof ort.Tensor)) throw new GlassboxError('runtime', `output "${name}" is not a tensor`);
  const type = value.type as string;
  if (!isDType(type)) throw new GlassboxError('unsupported-dtype', `output "${name}" has type ${type}, which glassbox does not support`);
  let data = value.data as unknown;
  // Newer runtimes may hand float16 back as Float16Array; keep the raw bits like everywhere else.
  if (type === 'float16' && !(data instanceof Uint16Array)) {
    const view = data as ArrayBufferView;
    data = new Uint16Array(view.buffer, view.byteOffset, view.byteLength / 2);
  }
  return new Tensor(type as DType, value.dims as number[], data as never);
}
