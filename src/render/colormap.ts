/**
 * Colormaps built from their published control points, evaluated by linear interpolation in
 * sRGB between neighbouring stops (what matplotlib's LinearSegmentedColormap and ListedColormap
 * do), so a colour here matches the same colour in a matplotlib figure.
 */

/** An sRGB colour, each channel an integer in 0..255. */
export type Rgb = readonly [number, number, number];

export class Colormap {
  readonly name: string;
  readonly kind: 'diverging' | 'sequential';
  /** Evenly spaced stops from t = 0 to t = 1. */
  readonly stops: readonly Rgb[];

  constructor(name: string, kind: 'diverging' | 'sequential', stops: readonly Rgb[]) {
    if (stops.length < 2) throw new RangeError(`colormap ${name} needs at least two stops`);
    this.name = name;
    this.kind = kind;
    this.stops = stops;
  }

  /** The colour at t in [0, 1] (clamped; NaN maps to the middle, i.e. "no attribution"). */
  at(t: number): Rgb {
    const u = Number.isNaN(t) ? 0.5 : Math.min(1, Math.max(0, t));
    const x = u * (this.stops.length - 1);
    const i = Math.min(this.stops.length - 2, Math.floor(x));
    const f = x - i;
    const a = this.stops[i]!;
    const b = this.stops[i + 1]!;
    return [lerp(a[0], b[0], f), lerp(a[1], b[1], f), lerp(a[2], b[2], f)];
  }

  /** The same map run backwards (matplotlib's `_r` maps). */
  reversed(): Colormap {
    const name = this.name.endsWith('_r') ? this.name.slice(0, -2) : `${this.name}_r`;
    return new Colormap(name, this.kind, [...this.stops].reverse());
  }
}

function lerp(a: number, b: number, f: number): number {
  return Math.round(a + (b - a) * f);
}

function hex(...codes: string[]): Rgb[] {
  return codes.map((c) => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)] as const);
}

/**
 * ColorBrewer's 11-class RdBu (Cynthia Brewer, colorbrewer2.org; matplotlib's `RdBu`): dark red at
 * t = 0, near-white at 0.5, dark blue at 1. ColorBrewer rates it colour-blind safe and
 * print friendly, and both arms have the same lightness ramp, so |value| reads the same on
 * either side.
 */
export const RDBU = new Colormap(
  'RdBu',
  'diverging',
  hex('#67001f', '#b2182b', '#d6604d', '#f4a582', '#fddbc7', '#f7f7f7', '#d1e5f0', '#92c5de', '#4393c3', '#2166ac', '#053061'),
);

/**
 * Signed attributions: blue (against the target) at t = 0, white at 0.5, red (toward the
 * target) at 1 — RdBu reversed, matplotlib's `RdBu_r`.
 */
export const ATTRIBUTION_DIVERGING = RDBU.reversed();

/**
 * matplotlib's `inferno` (Nathaniel Smith and Stéfan van der Walt, CC0): perceptually uniform,
 * monotonic in lightness, readable by colour-blind viewers and in grayscale print. 33 of its 256
 * published entries (every 255/32-th, rounded); linear interpolation between them stays within
 * 2/255 of the full table.
 */
export const INFERNO = new Colormap('inferno', 'sequential', [
  [0, 0, 4], [4, 3, 18], [11, 7, 36], [21, 11, 55], [33, 12, 74], [47, 10, 91], [61, 9, 101], [74, 12, 107],
  [87, 16, 110], [100, 21, 110], [113, 25, 110], [125, 30, 109], [138, 34, 106], [151, 39, 102], [163, 44, 97],
  [176, 49, 91], [188, 55, 84], [198, 61, 77], [208, 69, 69], [218, 78, 60], [227, 89, 51], [235, 100, 41],
  [241, 113, 31], [246, 126, 20], [249, 140, 10], [251, 155, 6], [252, 170, 15], [251, 186, 31], [249, 201, 50],
  [245, 217, 73], [242, 232, 101], [243, 245, 134], [252, 255, 164],
]);

/** WCAG 2 relative luminance of an sRGB colour, in [0, 1]. */
export function relativeLuminance(c: Rgb): number {
  const lin = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

/** CIE L* (perceived lightness, 0..100) of an sRGB colour. */
export function lightness(c: Rgb): number {
  const y = relativeLuminance(c);
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

/** WCAG contrast ratio between two colours (1..21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export const INK: Rgb = [0, 0, 0];
export const PAPER: Rgb = [255, 255, 255];

/**
 * Black or white, whichever contrasts more with the background `bg`. Pure black (not a softer
 * near-black) because then every background gets at least WCAG AA's 4.5:1 (the worst case,
 * luminance ≈ 0.18, gives 4.58:1).
 */
export function textColorOn(bg: Rgb): Rgb {
  return contrastRatio(bg, INK) >= contrastRatio(bg, PAPER) ? INK : PAPER;
}

export function toHex(c: Rgb): string {
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
