import type { Tensor } from '../tensor/tensor.js';
import { ATTRIBUTION_DIVERGING, INFERNO, type Colormap } from './colormap.js';
import { toMap, toRgb, type ImageInput, type RgbImage } from './image-input.js';
import { resizeMap, type Map2d, type UpsampleMode } from './resample.js';
import { absolute, cumulativeSumThreshold } from './scale.js';

/**
 * Which part of a signed map is shown, as Captum's `visualize_image_attr(sign=...)`: 'all' signed
 * on a diverging map; 'positive', 'negative' and 'absolute_value' as magnitudes on a sequential
 * one. 'auto' picks 'all' when the map has a negative value, else 'positive' (Grad-CAM after its
 * ReLU, saliency with abs).
 */
export type Sign = 'auto' | 'all' | 'positive' | 'negative' | 'absolute_value';

export interface OverlayOptions {
  sign?: Sign;
  /** Default: blue–white–red (RdBu reversed) for 'all', inferno for the others. */
  colormap?: Colormap;
  /**
   * Opacity of the heat map over the image (its maximum in 'magnitude' mode). Default 0.5 in
   * 'constant' mode (Captum's alpha_overlay), 0.8 in 'magnitude' mode so the strongest pixels
   * read clearly over a bright image (a white MNIST stroke).
   */
  alpha?: number;
  /**
   * 'constant': the heat map covers the image with the same opacity everywhere (Captum's
   * blended_heat_map); 'magnitude': opacity = alpha × |normalised value|, so pixels without
   * attribution show the image untouched. Default 'magnitude' for 'all' (white would wash out
   * a mostly-zero map), 'constant' otherwise.
   */
  alphaMode?: 'constant' | 'magnitude';
  /**
   * Values are divided by the scale and clipped to [-1, 1]. By default the scale is Captum's:
   * the value below which (100 - outlierPerc)% of the total |attribution| lies, so a few extreme
   * pixels do not wash the map out. A number fixes it (e.g. one scale for several panels).
   */
  scale?: number;
  /** Percent of the total |attribution| treated as outliers; default 2 (Captum's default). */
  outlierPerc?: number;
  /** How a map smaller than the image (Grad-CAM) is brought to the image's size; default bilinear (nearest when sizes agree). */
  upsample?: UpsampleMode;
  /** Draw the image in grayscale under the heat map (Captum does); default true. */
  grayscale?: boolean;
}

export interface Overlay {
  /** The blended picture, at the image's resolution. */
  pixels: RgbImage;
  /** The scale used (absolute value of Captum's threshold). */
  scale: number;
  sign: Exclude<Sign, 'auto'>;
  colormap: Colormap;
}

export function resolveSign(map: Map2d, sign: Sign = 'auto'): Exclude<Sign, 'auto'> {
  if (sign !== 'auto') return sign;
  return map.data.some((v) => v < 0) ? 'all' : 'positive';
}

/**
 * Captum's `_normalize_attr` selection: the values a sign shows, signed for 'all' and as
 * magnitudes (>= 0) for the others.
 */
export function selectSign(values: Float32Array, sign: Exclude<Sign, 'auto'>): Float32Array {
  if (sign === 'all') return values;
  return values.map((v) => (sign === 'positive' ? Math.max(0, v) : sign === 'negative' ? Math.max(0, -v) : Math.abs(v)));
}

/** Captum's scale for the selected values: the (100 - outlierPerc)th cumulative-sum threshold of |v|. */
export function captumScale(selected: Float32Array, outlierPerc = 2): number {
  return cumulativeSumThreshold(absolute(selected), 100 - outlierPerc);
}

/** An image and its attribution map brought to the image's size, with the sign's values selected. */
export interface PreparedMap {
  base: RgbImage;
  sign: Exclude<Sign, 'auto'>;
  /** One value per image pixel: signed for 'all', magnitudes otherwise. */
  selected: Float32Array;
}

export function prepareMap(image: ImageInput, attribution: Tensor | Map2d, options: OverlayOptions = {}): PreparedMap {
  const base = toRgb(image);
  const raw = toMap(attribution);
  const mode = options.upsample ?? (raw.width === base.width && raw.height === base.height ? 'nearest' : 'bilinear');
  const map = resizeMap(raw, base.width, base.height, mode);
  const sign = resolveSign(raw, options.sign);
  return { base, sign, selected: selectSign(map.data, sign) };
}

/** The heat map blended over the image (see OverlayOptions), at the image's resolution. */
export function overlay(image: ImageInput, attribution: Tensor | Map2d, options: OverlayOptions = {}): Overlay {
  return blend(prepareMap(image, attribution, options), options);
}

export function blend({ base, sign, selected }: PreparedMap, options: OverlayOptions = {}): Overlay {
  const scale = options.scale ?? captumScale(selected, options.outlierPerc);
  const cmap = options.colormap ?? (sign === 'all' ? ATTRIBUTION_DIVERGING : INFERNO);
  const byMagnitude = (options.alphaMode ?? (sign === 'all' ? 'magnitude' : 'constant')) === 'magnitude';
  const alpha = options.alpha ?? (byMagnitude ? 0.8 : 0.5);
  const gray = options.grayscale ?? true;
  const out = new Uint8ClampedArray(base.data.length);
  for (let p = 0; p < selected.length; p++) {
    const n = scale > 0 ? Math.max(sign === 'all' ? -1 : 0, Math.min(1, selected[p]! / scale)) : 0;
    const heat = cmap.at(sign === 'all' ? 0.5 + 0.5 * n : n);
    const a = byMagnitude ? alpha * Math.abs(n) : alpha;
    const r = base.data[p * 3]!;
    const g = base.data[p * 3 + 1]!;
    const b = base.data[p * 3 + 2]!;
    const m = (r + g + b) / 3; // Captum shows np.mean(image, axis=2) in gray
    const under = gray ? [m, m, m] : [r, g, b];
    for (let k = 0; k < 3; k++) out[p * 3 + k] = Math.round((1 - a) * under[k]! + a * heat[k]!);
  }
  return { pixels: { width: base.width, height: base.height, data: out }, scale, sign, colormap: cmap };
}
