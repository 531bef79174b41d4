import { GlassboxError } from '../../util/errors.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Baselines } from '../types.js';
import { repeatEachRow } from './tensor-ops.js';

/**
 * One baseline per input row, shaped like the input (Captum's rule for a single baseline):
 * 'zeros' or a number fills the input's shape; a tensor must match the input, or one row of it
 * (then it serves every row). Sets of baselines belong to the SHAP family (see baselineSet).
 */
export function expandBaseline(input: Tensor, baselines: Baselines | undefined): Tensor {
  if (baselines === undefined || baselines === 'zeros') return Tensor.float32(input.shape);
  if (typeof baselines === 'number') return Tensor.float32(input.shape, new Float32Array(input.size).fill(baselines));
  if (Array.isArray(baselines)) {
    if (baselines.length !== 1) throw new GlassboxError('bad-baseline', `this method takes one baseline, got a set of ${baselines.length} (sets are for the SHAP family)`);
    return expandBaseline(input, baselines[0]);
  }
  const b = baselines as Tensor;
  if (sameShape(b.shape, input.shape)) return b;
  if (sameShape(b.shape, [1, ...input.shape.slice(1)]) || sameShape(b.shape, input.shape.slice(1))) {
    return repeatEachRow(b.reshape([1, ...input.shape.slice(1)]), input.shape[0]!);
  }
  throw new GlassboxError('bad-baseline', `the baseline has shape ${formatShape(b.shape)} but the input has shape ${formatShape(input.shape)} (give one row or one per input row)`);
}

/** A set of baselines for the SHAP family, each shaped like one row of the input: [count, ...row]. */
export function baselineSet(input: Tensor, baselines: Baselines | undefined): Tensor {
  const row = input.shape.slice(1);
  if (baselines === undefined || baselines === 'zeros' || typeof baselines === 'number') {
    return expandBaseline(input.sliceBatch(0, 1), baselines);
  }
  const list = Array.isArray(baselines) ? baselines : [baselines as Tensor];
  const rows: Tensor[] = [];
  for (const b of list) {
    if (sameShape(b.shape, row)) rows.push(b.reshape([1, ...row]));
    else if (b.shape.length === row.length + 1 && sameShape(b.shape.slice(1), row)) for (let i = 0; i < b.shape[0]!; i++) rows.push(b.sliceBatch(i, i + 1));
    else throw new GlassboxError('bad-baseline', `a baseline of shape ${formatShape(b.shape)} does not match input rows of shape ${formatShape(row)}`);
  }
  const out = new Float32Array(rows.length * (input.size / input.shape[0]!));
  rows.forEach((r, i) => out.set(r.data as Float32Array, i * (input.size / input.shape[0]!)));
  return new Tensor('float32', [rows.length, ...row], out);
}
