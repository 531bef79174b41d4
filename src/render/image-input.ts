import type { Tensor } from '../tensor/tensor.js';
import { GlassboxError } from '../util/errors.js';
import type { Map2d } from './resample.js';

/** Interleaved 8-bit pixels as image decoders give them (sharp's `raw()` output, canvas data). */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array | Uint8ClampedArray;
}

/** A model input in PyTorch layout, [C, H, W] or [1, C, H, W] (C = 1 or 3) or [H, W], values in [0, 1]; or raw pixels. */
export type ImageInput = Tensor | RawImage;

/** Interleaved RGB, 3 bytes a pixel: what the renderers draw on. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Leading axes of size 1 (a batch of one) dropped until the rank is at most `rank`. */
function squeezeLeading(shape: readonly number[], rank: number): number[] {
  const s = [...shape];
  while (s.length > rank && s[0] === 1) s.shift();
  return s;
}

export function isRawImage(x: ImageInput): x is RawImage {
  return (x as RawImage).channels !== undefined && (x as RawImage).width !== undefined;
}

export function toRgb(image: ImageInput): RgbImage {
  if (isRawImage(image)) {
    const { width, height, channels, data } = image;
    if (data.length !== width * height * channels) {
      throw new GlassboxError('bad-input', `raw image ${width}x${height}x${channels} needs ${width * height * channels} bytes, got ${data.length}`);
    }
    const out = new Uint8ClampedArray(width * height * 3);
    for (let p = 0; p < width * height; p++) {
      // 1 = gray, 2 = gray + alpha, 3 = RGB, 4 = RGBA; alpha is ignored (drawn on opaque panels).
      for (let k = 0; k < 3; k++) out[p * 3 + k] = data[p * channels + (channels < 3 ? 0 : k)]!;
    }
    return { width, height, data: out };
  }
  const shape = squeezeLeading(image.shape, 3);
  const [c, h, w] = shape.length === 2 ? [1, shape[0]!, shape[1]!] : shape.length === 3 ? [shape[0]!, shape[1]!, shape[2]!] : [0, 0, 0];
  if (c !== 1 && c !== 3) {
    throw new GlassboxError('bad-input', `an image tensor must be [C, H, W] with C = 1 or 3 (or [H, W]), got [${image.shape.join(', ')}]`);
  }
  const v = image.toNumbers();
  const out = new Uint8ClampedArray(w * h * 3);
  for (let p = 0; p < w * h; p++) {
    for (let k = 0; k < 3; k++) out[p * 3 + k] = Math.round(255 * v[(c === 1 ? 0 : k) * w * h + p]!);
  }
  return { width: w, height: h, data: out };
}

/**
 * An attribution tensor as one value per pixel: [H, W], or [C, H, W] / [1, C, H, W] summed over
 * channels (Captum's visualize_image_attr reduces the channel axis by summing).
 */
export function toMap(attribution: Tensor | Map2d): Map2d {
  if (!('dtype' in attribution)) return attribution;
  const shape = squeezeLeading(attribution.shape, 3);
  if (shape.length !== 2 && shape.length !== 3) {
    throw new GlassboxError('bad-input', `an image attribution must be [H, W] or [C, H, W], got [${attribution.shape.join(', ')}]`);
  }
  const [c, h, w] = shape.length === 2 ? [1, shape[0]!, shape[1]!] : [shape[0]!, shape[1]!, shape[2]!];
  const v = attribution.toNumbers();
  const data = new Float32Array(h * w);
  for (let k = 0; k < c; k++) for (let p = 0; p < h * w; p++) data[p] = data[p]! + v[k * h * w + p]!;
  return { width: w, height: h, data };
}
