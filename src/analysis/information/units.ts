/**
 * Units: the entries of σ. Every element of the input (without its batch axis) belongs to one
 * unit, whose σ it shares, or to none (−1: it gets no noise, e.g. padding). The map has the
 * input's rank minus one and broadcasts against the input's non-batch dims, so a text model's
 * map is [seq, 1] (one unit per position, shared over the D embedding dims), an image's
 * [1, H, W] (per pixel, shared over channels) or patch indices of the same shape.
 */
import { GlassboxError } from '../../util/errors.js';

export interface UnitMap {
  /** Unit index per map element, −1 for none; row-major over `shape`. */
  map: Int32Array;
  /** Broadcastable to the input's non-batch dims (same rank; each dim equal or 1). */
  shape: number[];
}

/** A unit map checked against an input shape [1, ...rest]. */
export interface ResolvedUnits extends UnitMap {
  /** Number of units U (σ has U entries per layer). */
  count: number;
  /** Input elements per unit: D_i in the entropy. */
  sizes: number[];
}

/** One unit per position of axis 1 (text: [1, seq, D]), for the first `length` positions (default all). */
export function unitsPerPosition(inputShape: readonly number[], length = inputShape[1]!): UnitMap {
  const seq = inputShape[1]!;
  const shape = inputShape.slice(1).map((d, i) => (i === 0 ? d : 1));
  return { map: Int32Array.from({ length: seq }, (_, p) => (p < length ? p : -1)), shape };
}

/** One unit per pixel of [1, C, H, W], shared over the channels. */
export function unitsPerPixel(inputShape: readonly number[]): UnitMap {
  return unitsPerPatch(inputShape, 1);
}

/** One unit per patch × patch block of [1, C, H, W] (blocks at the right and bottom edges may be smaller). */
export function unitsPerPatch(inputShape: readonly number[], patch: number | readonly [number, number]): UnitMap {
  if (inputShape.length !== 4) throw new GlassboxError('bad-option', `pixel and patch units need an image input [1, C, H, W], got [${inputShape.join(', ')}]`);
  const [ph, pw] = typeof patch === 'number' ? [patch, patch] : patch;
  if (!(Number.isInteger(ph) && ph >= 1 && Number.isInteger(pw) && pw >= 1)) throw new GlassboxError('bad-option', `patch sizes must be positive integers, got ${ph}×${pw}`);
  const [h, w] = [inputShape[2]!, inputShape[3]!];
  const across = Math.ceil(w / pw);
  const map = new Int32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) map[y * w + x] = Math.floor(y / ph) * across + Math.floor(x / pw);
  return { map, shape: [1, h, w] };
}

/** The default units of an input: per position for rank 3 ([1, seq, D]), per pixel for rank 4. */
export function defaultUnits(inputShape: readonly number[]): UnitMap {
  if (inputShape.length === 3) return unitsPerPosition(inputShape);
  if (inputShape.length === 4) return unitsPerPixel(inputShape);
  throw new GlassboxError('bad-option', `no default units for an input of shape [${inputShape.join(', ')}]; give a unit map (units)`);
}

/** Checks a unit map against the input shape [1, ...rest] and counts its units. */
export function resolveUnits(units: UnitMap, inputShape: readonly number[]): ResolvedUnits {
  const rest = inputShape.slice(1);
  const { map, shape } = units;
  if (shape.length !== rest.length || shape.some((d, i) => d !== rest[i] && d !== 1)) {
    throw new GlassboxError('bad-option', `the unit map's shape [${shape.join(', ')}] does not broadcast to the input's [${rest.join(', ')}] (same rank, each dim equal or 1)`);
  }
  if (map.length !== shape.reduce((a, b) => a * b, 1)) throw new GlassboxError('bad-option', `the unit map has ${map.length} entries for shape [${shape.join(', ')}]`);
  let count = 0;
  for (const u of map) {
    if (!Number.isInteger(u) || u < -1) throw new GlassboxError('bad-option', `unit indices must be integers ≥ −1 (−1: no noise), got ${u}`);
    count = Math.max(count, u + 1);
  }
  if (count === 0) throw new GlassboxError('bad-option', 'the unit map gives noise to no element of the input');
  // Each map element stands for the elements it broadcasts over.
  const repeat = rest.reduce((a, d, i) => a * (shape[i] === 1 ? d : 1), 1);
  const sizes = new Array<number>(count).fill(0);
  for (const u of map) if (u >= 0) sizes[u]! += repeat;
  const missing = sizes.findIndex((n) => n === 0);
  if (missing >= 0) throw new GlassboxError('bad-option', `unit ${missing} has no input element (unit indices must run 0 … ${count - 1} without gaps)`);
  return { map, shape: [...shape], count, sizes };
}
