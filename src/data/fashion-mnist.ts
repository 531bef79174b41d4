/**
 * Fashion-MNIST (Zalando; 60k/10k 28 × 28 grey images, 10 classes) from Debian's
 * `dataset-fashion-mnist` package: gzipped IDX files in /usr/share/datasets/fashion-mnist.
 * Not an npm package, so it may be absent: `fashionMnistStatus()` says so without throwing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GlassboxError } from '../util/errors.js';
import { readImageIdx, type DigitImages } from './mnist.js';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** The directory searched: `dir`, else $GLASSBOX_FASHION_MNIST_DIR, else Debian's location. */
export function fashionMnistDir(dir?: string): string {
  return dir ?? process.env['GLASSBOX_FASHION_MNIST_DIR'] ?? FASHION_MNIST_DIR;
}

function fileIn(dir: string, base: string): string | undefined {
  for (const name of [`${base}.gz`, base]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

export function fashionMnistStatus(dir?: string): { available: true; dir: string } | { available: false; dir: string; reason: string } {
  const where = fashionMnistDir(dir);
  const missing = [...FILES.train, ...FILES.test].filter((f) => fileIn(where, f) === undefined);
  if (missing.length === 0) return { available: true, dir: where };
  return { available: false, dir: where, reason: `Fashion-MNIST is not installed (no ${missing[0]}.gz in ${where}): apt install dataset-fashion-mnist` };
}

const cache = new Map<string, DigitImages>();

export function loadFashionMnist(split: 'train' | 'test', dir?: string): DigitImages {
  const status = fashionMnistStatus(dir);
  if (!status.available) throw new GlassboxError('not-found', status.reason);
  const key = `${status.dir}\0${split}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const [images, labels] = FILES[split];
  const data = readImageIdx(fileIn(status.dir, images)!, fileIn(status.dir, labels)!, `Fashion-MNIST ${split}`);
  cache.set(key, data);
  return data;
}
