import { GlassboxError } from '../util/errors.js';
import { Random } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { IGNORE_INDEX, type LossKind } from './loss.js';
import type { DataSplit } from './types.js';

/** Token ids with a fixed meaning (see src/data/tokenizer.ts). */
const PAD_ID = 0;
const MASK_ID = 2;
/** The first id of an ordinary word (after [PAD], [UNK], [MASK]). */
const FIRST_WORD_ID = 3;

export interface Batch {
  input: Tensor;
  labels: Tensor;
}

/** What a model is trained to do: how batches and labels are formed, and what counts as correct. */
export interface Objective {
  loss: LossKind;
  batch(split: DataSplit, indices: readonly number[], labels: ArrayLike<number>, random: Random): Batch;
  /** Correct predictions and how many predictions were asked for. */
  score(logits: Tensor, labels: Tensor): { correct: number; count: number };
}

/** One label per example. */
export const classification: Objective = {
  loss: 'classification',
  batch: (split, indices, labels) => ({ input: split.inputs(indices), labels: Tensor.int64([indices.length], indices.map((i) => labels[i]!)) }),
  score(logits, labels) {
    const [rows, classes] = [logits.shape[0]!, logits.shape[1]!];
    const data = logits.data as Float32Array;
    const truth = labels.data as BigInt64Array;
    let correct = 0;
    for (let r = 0; r < rows; r++) if (argmax(data, r * classes, classes) === Number(truth[r])) correct++;
    return { correct, count: rows };
  },
};

/**
 * BERT's masked-language-model pretraining: 15 % of the (non-padding) tokens are chosen; of
 * those, 80 % become [MASK], 10 % a random word, 10 % stay; the model predicts the original
 * token at the chosen positions only.
 */
export function maskedLanguageModel(vocabularySize: number, rate = 0.15): Objective {
  return {
    loss: 'masked-lm',
    batch(split, indices, _labels, random) {
      const input = split.inputs(indices);
      const ids = input.data as BigInt64Array;
      const labels = new BigInt64Array(ids.length).fill(BigInt(IGNORE_INDEX));
      for (let i = 0; i < ids.length; i++) {
        if (Number(ids[i]) === PAD_ID || random.next() >= rate) continue;
        labels[i] = ids[i]!;
        const roll = random.next();
        if (roll < 0.8) ids[i] = BigInt(MASK_ID);
        else if (roll < 0.9) ids[i] = BigInt(FIRST_WORD_ID + random.int(vocabularySize - FIRST_WORD_ID));
      }
      return { input, labels: new Tensor('int64', input.shape, labels) };
    },
    score: positionScore,
  };
}

/**
 * Per-position labels that the dataset gives (DataSplit.positionLabels): every labelled position
 * is a classification over the logits' last axis — the 'reverse' task. Same loss as masked-LM
 * (the mean over labelled positions); the accuracy is per token.
 */
export const sequenceLabelling: Objective = {
  loss: 'masked-lm',
  batch(split, indices) {
    if (!split.positionLabels) throw new GlassboxError('bad-option', 'the sequence objective needs a dataset with per-position labels');
    return { input: split.inputs(indices), labels: split.positionLabels(indices) };
  },
  score: positionScore,
};

/** Correct argmax predictions over the positions whose label is not IGNORE_INDEX. */
function positionScore(logits: Tensor, labels: Tensor): { correct: number; count: number } {
  const vocab = logits.shape[2]!;
  const data = logits.data as Float32Array;
  const truth = labels.data as BigInt64Array;
  let correct = 0;
  let count = 0;
  for (let p = 0; p < truth.length; p++) {
    if (Number(truth[p]) === IGNORE_INDEX) continue;
    count++;
    if (argmax(data, p * vocab, vocab) === Number(truth[p])) correct++;
  }
  return { correct, count };
}

function argmax(data: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (data[offset + c]! > data[offset + best]!) best = c;
  return best;
}

/** Mean cross-entropy contributions and scores of a batch, computed from logits in TypeScript. */
export function crossEntropyTotal(logits: Tensor, labels: Tensor): number {
  const classes = logits.shape[logits.rank - 1]!;
  const data = logits.data as Float32Array;
  const truth = labels.data as BigInt64Array;
  let total = 0;
  for (let r = 0; r < truth.length; r++) {
    const label = Number(truth[r]);
    if (label === IGNORE_INDEX) continue;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, data[r * classes + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(data[r * classes + c]! - max);
    total += -(data[r * classes + label]! - max - Math.log(sum));
  }
  return total;
}

/** A fixed masking for evaluation, so every checkpoint is scored on the same masked positions. */
export function evaluationRandom(seed: number): Random {
  return new Random(seed * 104_729 + 3);
}
