import { existsSync } from 'node:fs';
import { GlassboxError } from '../util/errors.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Reads a PNG/JPEG/WebP/… file (a path, or its bytes) into a float tensor [1, channels, height, width] in [0, 1]
 * (sharp decodes; it resizes with its default filter when the size differs, and converts to
 * grey or RGB as the model wants). Images are dark-on-light or light-on-dark as given: invert
 * MNIST-style digits yourself when your image is dark ink on white.
 */
export async function readImageFile(source: string | Uint8Array, target: { channels: 1 | 3; height: number; width: number }): Promise<Tensor> {
  const path = typeof source === 'string' ? source : 'the image';
  if (typeof source === 'string' && !existsSync(source)) throw new GlassboxError('not-found', `${source}: no such file`);
  const { default: sharp } = await import('sharp');
  let pipeline = sharp(source).removeAlpha().resize(target.width, target.height, { fit: 'fill' });
  pipeline = target.channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  let raw: { data: Buffer; info: { channels: number } };
  try {
    raw = await pipeline.raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new GlassboxError('bad-input', `${path}: not an image sharp can read (${(error as Error).message.split('\n')[0]})`);
  }
  const { data, info } = raw;
  const plane = target.height * target.width;
  const out = new Float32Array(target.channels * plane);
  for (let i = 0; i < plane; i++) for (let c = 0; c < target.channels; c++) out[c * plane + i] = data[i * info.channels + c]! / 255;
  return new Tensor('float32', [1, target.channels, target.height, target.width], out);
}
