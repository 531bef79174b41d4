import { existsSync } from 'node:fs';
import { GlassboxError } from '../util/errors.js';
import { loadDataset } from '../data/index.js';
import { loadModel } from '../onnx/io.js';
import type { Model } from '../onnx/ir/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { parseCheckpointRef, RunStore } from '../store/index.js';
import type { Dataset } from '../train/types.js';

export interface ModelRef {
  model: Model;
  /** What to call it in messages and pictures. */
  label: string;
  /** For a run from the store: the dataset it was trained on (vocabulary, class names, examples). */
  dataset?: Dataset;
}

/**
 * A model from an ONNX file, or a checkpoint of a run in the store (`<run>[:step|latest]`): then
 * the run's dataset comes along, so texts are tokenized with its vocabulary and classes named.
 */
export function resolveModel(ref: string, storeDir: string): ModelRef {
  if (existsSync(ref) || ref.endsWith('.onnx')) return { model: loadModel(ref), label: ref };
  if (!existsSync(storeDir)) throw new GlassboxError('not-found', `${ref}: no such file, and no run store at ${storeDir} to look it up in`);
  const store = RunStore.open(storeDir);
  try {
    const { run: runRef, step } = parseCheckpointRef(ref);
    const run = store.resolveRun(runRef);
    const checkpoint = store.getCheckpoint(run.id, step);
    const config = run.config as { dataset?: string; vocabFrom?: string };
    const dataset = config.dataset ? trainingDataset(config.dataset, config.vocabFrom) : undefined;
    return { model: store.checkpointModel(run.id, checkpoint.step), label: `${run.id}:${checkpoint.step}`, ...(dataset ? { dataset } : {}) };
  } finally {
    store.close();
  }
}

/** A dataset as `glassbox train` reads it: tokenized with another dataset's vocabulary when asked. */
export function trainingDataset(name: string, vocabFrom?: string): Dataset {
  if (!vocabFrom) return loadDataset(name);
  const other = loadDataset(vocabFrom);
  if (!other.vocabulary) throw new GlassboxError('bad-option', `--vocab-from needs a text dataset; "${vocabFrom}" has no vocabulary`);
  return loadDataset(name, { vocabulary: other.vocabulary, maxLength: other.shape[0]! });
}

/**
 * n training sentences of a run's dataset, spread evenly over the split (its order may group
 * sources or classes); none for a file or a dataset without texts. The information measure's
 * sample for each layer's feature scale.
 */
export function trainingTexts(ref: ModelRef, n: number): string[] {
  const texts = ref.dataset?.train.texts;
  return texts ? spread(texts.length, n).map((i) => texts[i]!) : [];
}

/** n training images of a run's image dataset, [1, C, H, W] each, spread as trainingTexts. */
export function trainingImages(ref: ModelRef, n: number): Tensor[] {
  const dataset = ref.dataset;
  return dataset?.kind === 'image' ? spread(dataset.train.size, n).map((i) => dataset.train.inputs([i])) : [];
}

/** min(n, size) indices spread evenly over 0 … size − 1. */
function spread(size: number, n: number): number[] {
  const count = Math.min(n, size);
  return Array.from({ length: count }, (_, k) => Math.floor((k * size) / count));
}
