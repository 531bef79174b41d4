/**
 * The measure on an image model: one σ per patch of the input [1, C, H, W] (shared over its
 * pixels and channels), the largest noise a patch tolerates while a layer's features stay put.
 * The record lists the patches as its units ('row,col'), so the JSON and the store read as for
 * a sentence; report/image.ts turns a layer's σ back into a picture the size of the image.
 */
import type { Explainable } from '../../attribution/explainable.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import { chooseLayers } from './layers.js';
import { InformationMeasure } from './measure.js';
import { informationRecord, type ImageLayout, type InformationRecord } from './report/record.js';
import { measureOptions, type MeasureRequest } from './request.js';
import { unitsPerPatch } from './units.js';

export interface ImageRequest extends MeasureRequest {
  /** Pixels per side of a patch (default: the size giving at most 14 patches per side). */
  patch?: number;
  /** Images of the model's training data, [1, C, H, W] each, for s (the layers' feature scale). */
  samples?: readonly Tensor[];
  /** What the image was (a file, a test example), for the reports. */
  source: string;
}

/** Patches per side at most, by default: 14 × 14 = 196 σ per layer (MNIST: 2 × 2-pixel patches). */
export const DEFAULT_PATCHES_PER_SIDE = 14;

export function defaultPatch(height: number, width: number): number {
  return Math.max(1, Math.ceil(Math.max(height, width) / DEFAULT_PATCHES_PER_SIDE));
}

/** σ per patch of `x` in every chosen layer of `explainable`'s model (noise at its input). */
export async function measureImage(explainable: Explainable, x: Tensor, extra: Feeds, label: string, request: ImageRequest): Promise<InformationRecord> {
  if (x.rank !== 4 || x.shape[0] !== 1) throw new GlassboxError('bad-input', `an image is measured as one input [1, C, H, W]; "${explainable.input}" is [${x.shape.join(', ')}]`);
  const [height, width] = [x.shape[2]!, x.shape[3]!];
  const patch = request.patch ?? defaultPatch(height, width);
  if (!(Number.isInteger(patch) && patch >= 1 && patch <= Math.max(height, width))) {
    throw new GlassboxError('bad-option', `--patch must be a whole number of pixels from 1 to ${Math.max(height, width)}, got ${patch}`);
  }
  const input = explainable.input;
  const choice = chooseLayers(explainable.full, input, request.layers);
  if (choice.note) request.onNote?.(choice.note);
  const measure = await InformationMeasure.create(explainable.full, { input, layers: choice.layers, ...(request.runtime ? { runtime: request.runtime } : {}) });
  try {
    const result = await measure.measure({ embeddings: x, extra }, {
      units: unitsPerPatch(x.shape, patch),
      ...(request.samples?.length ? { samples: request.samples.map((embeddings) => ({ embeddings, extra })) } : {}),
      ...measureOptions(request),
    });
    const layout: ImageLayout = { height, width, patch, across: Math.ceil(width / patch), down: Math.ceil(height / patch) };
    const tokens = Array.from({ length: layout.across * layout.down }, (_, u) => `${Math.floor(u / layout.across)},${u % layout.across}`);
    return { ...informationRecord(label, result, { text: request.source, tokens, wordIds: tokens.map((_, u) => u), embedding: input }), image: layout };
  } finally {
    await measure.release();
  }
}
