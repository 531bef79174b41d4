import { GlassboxError } from '../util/errors.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';

/**
 * The seed that selects class `target` of an output: a one-hot along its last axis at every
 * leading position (for logits [N, C], the gradient of Σₙ y[n, target]). `target` may also
 * give one class per row of a [N, C] output.
 */
export function targetSeed(shape: readonly number[], dtype: DType, target: number | readonly number[], name = 'output'): Tensor {
  if (shape.length === 0) throw new GlassboxError('bad-target', `"${name}" is a scalar; it has no classes to pick with a target (leave the target out)`);
  const classes = shape[shape.length - 1]!;
  const rows = shape.length === 1 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const targets = typeof target === 'number' ? new Array<number>(rows).fill(target) : [...target];
  if (targets.length !== rows) {
    throw new GlassboxError('bad-target', `${targets.length} targets given for "${name}" of shape ${formatShape(shape)}, which has ${rows} rows`);
  }
  const seed = Tensor.zeros(dtype, shape);
  targets.forEach((t, row) => {
    if (!Number.isInteger(t) || t < 0 || t >= classes) {
      throw new GlassboxError('bad-target', `target ${t} is out of range for "${name}" (${classes} classes on its last axis: 0..${classes - 1})`);
    }
    (seed.data as Float32Array)[row * classes + t] = 1;
  });
  return seed;
}

/** All ones: the gradient of the sum of the output. */
export function onesSeed(shape: readonly number[], dtype: DType): Tensor {
  const seed = Tensor.zeros(dtype, shape);
  (seed.data as Float32Array).fill(1);
  return seed;
}
