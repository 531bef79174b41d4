/**
 * Image datasets (MNIST, Fashion-MNIST): float32 [N, 1, 28, 28].
 *
 * Normalisation: 'unit' (the default) scales pixels to [0, 1] (x / 255), so 0 is the blank
 * background — the natural attribution baseline — and every recipe trains well on it.
 * 'standard' also subtracts the training split's mean pixel and divides by its standard
 * deviation (MNIST 0.1307 / 0.3081, Fashion-MNIST 0.2860 / 0.3530), the torchvision
 * convention; the background is then −mean/std, not 0.
 * Pixels stay uint8 in memory; a batch is converted when `inputs()` asks for it.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DataSplit, Dataset } from '../train/types.js';
import { GlassboxError } from '../util/errors.js';
import type { DigitImages } from './mnist.js';
import { checkIndices } from './splits.js';

export type ImageNormalization = 'unit' | 'standard';

export interface ImageOptions {
  normalize?: ImageNormalization;
}

export interface ImageSplit extends DataSplit {
  /** The raw pixels, 0 … 255, [size × 28 × 28] row-major (shared: read-only). */
  pixels: Uint8Array;
}

export interface ImageDataset extends Dataset {
  kind: 'image';
  train: ImageSplit;
  test: ImageSplit;
  /** inputs = (pixel / 255 − mean) / std. */
  normalization: { kind: ImageNormalization; mean: number; std: number };
}

const PIXELS = 28 * 28;

export function buildImageDataset(
  spec: { name: string; source: string; classes: readonly string[]; train: DigitImages; test: DigitImages },
  options: ImageOptions = {},
): ImageDataset {
  const kind = options.normalize ?? 'unit';
  if (kind !== 'unit' && kind !== 'standard') throw new GlassboxError('bad-option', `normalize must be 'unit' or 'standard', got ${JSON.stringify(kind)}`);
  const { mean, std } = kind === 'unit' ? { mean: 0, std: 1 } : pixelStats(spec.train.pixels);
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v / 255 - mean) / std;
  const split = (images: DigitImages, what: string): ImageSplit => {
    const size = images.count;
    const labels = Int32Array.from(images.labels);
    for (const l of labels) if (l >= spec.classes.length) throw new GlassboxError('bad-data', `${what}: label ${l} is not one of the ${spec.classes.length} classes`);
    return {
      size,
      labels,
      pixels: images.pixels,
      inputs(indices: readonly number[]): Tensor {
        checkIndices(indices, size, what);
        const out = new Float32Array(indices.length * PIXELS);
        indices.forEach((i, k) => {
          const base = i * PIXELS;
          const at = k * PIXELS;
          for (let p = 0; p < PIXELS; p++) out[at + p] = table[images.pixels[base + p]!]!;
        });
        return new Tensor('float32', [indices.length, 1, 28, 28], out);
      },
    };
  };
  return {
    name: spec.name,
    kind: 'image',
    shape: Object.freeze([1, 28, 28]),
    classes: Object.freeze([...spec.classes]),
    train: split(spec.train, `${spec.name} train`),
    test: split(spec.test, `${spec.name} test`),
    source: spec.source,
    normalization: { kind, mean, std },
  };
}

const stats = new WeakMap<Uint8Array, { mean: number; std: number }>();

/** Mean and standard deviation of pixel / 255 over a whole split (cached per pixel array). */
function pixelStats(pixels: Uint8Array): { mean: number; std: number } {
  const cached = stats.get(pixels);
  if (cached) return cached;
  const histogram = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) histogram[pixels[i]!]++;
  let sum = 0;
  let squares = 0;
  for (let v = 0; v < 256; v++) {
    sum += histogram[v]! * (v / 255);
    squares += histogram[v]! * (v / 255) ** 2;
  }
  const mean = sum / pixels.length;
  const result = { mean, std: Math.sqrt(squares / pixels.length - mean * mean) };
  stats.set(pixels, result);
  return result;
}
