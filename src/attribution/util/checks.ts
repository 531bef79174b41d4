import { GlassboxError } from '../../util/errors.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Target } from '../types.js';

/** The attributed input must be a float32 batch with at least one row. */
export function checkInput(x: Tensor): void {
  if (x.dtype !== 'float32') throw new GlassboxError('bad-input', `attributions need a float32 input, got ${x.dtype}`);
  if (x.rank < 1 || x.shape[0] === 0) throw new GlassboxError('bad-input', `the input must be a batch of at least one row, got shape ${formatShape(x.shape)}`);
}

/** One target per row when targets are given per row (their range is checked by the model run). */
export function checkTarget(target: Target, rows: number): void {
  if (Array.isArray(target) && target.length !== rows) {
    throw new GlassboxError('bad-target', `${target.length} targets given for ${rows} input rows (give one target, or one per row)`);
  }
}

/** A count option (samples, steps, rows per run) must be a positive integer when given. */
export function checkCount(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new GlassboxError('bad-option', `${name} must be a positive integer, got ${value}`);
}
