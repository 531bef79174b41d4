/**
 * Feature masks (Captum's feature_mask): an integer per input element saying which feature it
 * belongs to; elements with the same id are perturbed together and share one attribution.
 */
import { GlassboxError } from '../../util/errors.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface FeatureMask {
  /** 1 when one mask serves every row, else one mask per input row. */
  readonly rows: number;
  /** Elements in one input row. */
  readonly rowSize: number;
  /** Feature id of each element, row-major: rows × rowSize. */
  readonly ids: Int32Array;
  /** The smallest id (FeatureAblation starts there; Lime and KernelShap shift ids down by it). */
  readonly min: number;
  /** One past the largest id: Captum's number of features. */
  readonly count: number;
}

/**
 * The mask for `input`, broadcast to its shape the way torch broadcasts (dims aligned at the
 * right, a dim of 1 repeats): shaped like one row, like the whole batch, with a batch dim of 1,
 * or smaller (e.g. [1, 1, H, W] groups an image's channels). Without a mask every element of a
 * row is its own feature, numbered in row-major order (Captum's default mask).
 */
export function featureMask(input: Tensor, mask?: Tensor): FeatureMask {
  const rows = input.shape[0]!;
  const rowShape = input.shape.slice(1);
  const rowSize = sizeOf(rowShape);
  if (!mask) {
    const ids = new Int32Array(rowSize);
    for (let i = 0; i < rowSize; i++) ids[i] = i;
    return { rows: 1, rowSize, ids, min: 0, count: rowSize };
  }
  if (mask.dtype === 'string' || mask.dtype === 'bool') throw new GlassboxError('bad-mask', `the feature mask must hold integer feature ids, got ${mask.dtype}`);
  const full = input.shape;
  const bad = (): GlassboxError => new GlassboxError('bad-mask', `the feature mask has shape ${formatShape(mask.shape)}, which does not broadcast to the input's shape ${formatShape(full)} (give one row ${formatShape(rowShape)}, one per input row, or dims of 1 to share ids)`);
  if (mask.rank > full.length) throw bad();
  // Align the mask's dims with the input's from the right; missing leading dims are 1.
  const aligned = [...Array<number>(full.length - mask.rank).fill(1), ...mask.shape];
  aligned.forEach((d, i) => { if (d !== 1 && d !== full[i]) throw bad(); });
  const maskRows = aligned[0] === rows ? rows : 1;
  const values = mask.toNumbers();
  const strides = new Array<number>(full.length).fill(0);
  for (let i = full.length - 1, s = 1; i >= 0; i--) {
    strides[i] = aligned[i] === 1 ? 0 : s;
    s *= aligned[i]!;
  }
  const ids = new Int32Array(maskRows * rowSize);
  let min = Infinity;
  let max = -Infinity;
  const index = new Array<number>(full.length).fill(0);
  for (let k = 0; k < ids.length; k++) {
    // index holds the coordinates of element k of [maskRows, ...row]; walk it like an odometer.
    let at = 0;
    for (let d = 0; d < full.length; d++) at += index[d]! * strides[d]!;
    const v = values[at]!;
    if (!Number.isInteger(v) || v < 0) throw new GlassboxError('bad-mask', `feature ids must be non-negative integers, got ${v}`);
    ids[k] = v;
    if (v < min) min = v;
    if (v > max) max = v;
    for (let d = full.length - 1; d >= 0; d--) {
      const extent = d === 0 ? maskRows : full[d]!;
      if (++index[d]! < extent) break;
      index[d] = 0;
    }
  }
  if (ids.length === 0) return { rows: maskRows, rowSize, ids, min: 0, count: 0 };
  return { rows: maskRows, rowSize, ids, min, count: max + 1 };
}

/** The ids of row `r`'s elements. */
export function maskRow(mask: FeatureMask, r: number): Int32Array {
  const row = mask.rows === 1 ? 0 : r;
  return mask.ids.subarray(row * mask.rowSize, (row + 1) * mask.rowSize);
}

/** For each feature id 0 … count − 1, the elements of row `r` that carry it. */
export function elementsByFeature(mask: FeatureMask, r: number): Int32Array[] {
  const ids = maskRow(mask, r);
  const sizes = new Int32Array(mask.count);
  for (const id of ids) sizes[id]!++;
  const lists = Array.from(sizes, (n) => new Int32Array(n));
  const fill = new Int32Array(mask.count);
  ids.forEach((id, e) => { lists[id]![fill[id]!++] = e; });
  return lists;
}
