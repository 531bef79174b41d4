/**
 * Colour scales. Attributions: red toward the target, blue against, white at zero (a diverging
 * scale, as Captum's visualisations). Layer information: a sequential scale from pale (kept) to
 * dark (forgotten). Text on a cell turns white where the background gets dark.
 */

export interface Cell {
  background: string;
  color: string;
}

const RED = [214, 39, 40];
const BLUE = [31, 98, 207];

/** `value` in [-1, 1] (already scaled by the row's largest magnitude). */
export function diverging(value: number): Cell {
  const v = Math.max(-1, Math.min(1, Number.isFinite(value) ? value : 0));
  const [r, g, b] = v >= 0 ? RED : BLUE;
  const a = Math.abs(v);
  const mix = (c: number): number => Math.round(255 + (c - 255) * a * 0.9);
  return { background: `rgb(${mix(r!)}, ${mix(g!)}, ${mix(b!)})`, color: a > 0.6 ? '#fff' : '#111' };
}

/** Stops of a perceptually even ramp (pale yellow → orange → deep purple), like matplotlib's magma reversed. */
const RAMP = [
  [252, 253, 191], [254, 204, 143], [253, 150, 104], [241, 96, 93], [205, 64, 113], [158, 47, 127], [114, 31, 129], [68, 15, 118],
];

/** `t` in [0, 1]. */
export function sequential(t: number): Cell {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i]!.map((v, k) => Math.round(v + (RAMP[i + 1]![k]! - v) * f));
  return { background: `rgb(${c.join(', ')})`, color: x / (RAMP.length - 1) > 0.55 ? '#fff' : '#111' };
}
