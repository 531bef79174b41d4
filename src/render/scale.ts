/**
 * How attribution values become colour intensities. Every picture in src/render maps a value v
 * to v / scale clipped to [-1, 1]; the scale is chosen here, once, so HTML, terminal and PNG
 * pictures of the same numbers agree.
 */

/** The largest |v| (0 for an empty or all-zero list; NaNs ignored). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > m) m = a;
  }
  return m;
}

/**
 * Captum's `_cumulative_sum_threshold` (captum/attr/_utils/visualization.py): sort the
 * non-negative values, and return the first one at which the running sum reaches `percentile`
 * percent of the total. With percentile 100 this is the maximum; Captum's pictures use 98
 * (`outlier_perc = 2`) so that a few extreme pixels do not wash the rest of the map out.
 */
export function cumulativeSumThreshold(values: ArrayLike<number>, percentile: number): number {
  if (!(percentile >= 0 && percentile <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${percentile}`);
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return 0;
  let total = 0;
  for (const v of sorted) total += v;
  const goal = total * 0.01 * percentile;
  let running = 0;
  for (const v of sorted) {
    running += v;
    if (running >= goal) return v;
  }
  return sorted[sorted.length - 1]!;
}

/** Absolute values, for the thresholds above. */
export function absolute(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.abs(values[i]!);
  return out;
}

/** v / scale clipped to [-1, 1]; 0 when the scale is 0 (an all-zero map stays neutral). */
export function normalise(v: number, scale: number): number {
  if (!(scale > 0) || !Number.isFinite(v)) return 0;
  return Math.max(-1, Math.min(1, v / scale));
}

/**
 * A value as text with about three significant digits relative to `reference` (usually the
 * picture's scale), so all numbers of one picture share their decimals. Always signed, ASCII.
 */
export function formatValue(v: number, reference: number = Math.abs(v)): string {
  if (!Number.isFinite(v)) return String(v);
  const ref = Math.abs(reference);
  const sign = v > 0 ? '+' : v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (ref === 0) return a === 0 ? '0' : `${sign}${a.toExponential(2)}`;
  if (ref < 1e-3 || ref >= 1e5) return a === 0 ? '0' : `${sign}${a.toExponential(2)}`;
  const decimals = Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(ref))));
  const text = a.toFixed(decimals);
  return Number(text) === 0 ? text : `${sign}${text}`;
}
