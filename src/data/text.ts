/**
 * Text datasets: tokenized (src/data/tokenizer.ts), a vocabulary from the training split only,
 * token ids as int64 [N, maxLength] padded with 0 ([PAD]) and truncated at maxLength.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DataSplit, Dataset } from '../train/types.js';
import { GlassboxError } from '../util/errors.js';
import { checkIndices } from './splits.js';
import { buildVocabulary, lengthFromPercentile, PAD_ID, SPECIAL_TOKENS, TOKENIZER, tokenize, tokensToIds, UNK_ID, type VocabularyOptions } from './tokenizer.js';

export interface TextOptions extends VocabularyOptions {
  /**
   * Use this vocabulary instead of building one from the training texts, so that several
   * corpora share a model's token ids (masked-LM pretraining on one, fine-tuning on another).
   * It must start with the special tokens [PAD], [UNK], [MASK].
   */
  vocabulary?: readonly string[];
  /** Padded length of every example; longer texts are truncated (keeping their beginning). */
  maxLength?: number;
  /** When maxLength is not given: this percentile of the training texts' token counts, rounded up to a multiple of 8 (default 99). */
  lengthPercentile?: number;
}

export interface TextSplit extends DataSplit {
  texts: readonly string[];
  /** Token ids, [size × maxLength] row-major, 0-padded. */
  ids: Int32Array;
  /** Token count of each text before truncation. */
  lengths: Int32Array;
  /** Where each example came from: its source corpus (sentiment) or document id (Brown). */
  groups?: readonly string[];
}

export interface TextDataset extends Dataset {
  kind: 'tokens';
  vocabulary: readonly string[];
  maxLength: number;
  /** The tokenization rule (see tokenizer.ts). */
  tokenizer: typeof TOKENIZER;
  train: TextSplit;
  test: TextSplit;
  /** The options as resolved (for run records). */
  options: { minCount: number; maxSize: number | null; maxLength: number; lengthPercentile: number | null };
  stats: {
    /** Share of test tokens (within maxLength) that are [UNK]. */
    testUnknownRate: number;
    /** Examples longer than maxLength (truncated). */
    truncated: { train: number; test: number };
    /** Examples left out while building, by reason (Brown: sentences without letters, test sentences seen in training). */
    dropped?: Record<string, number>;
  };
}

export interface RawTextSplit {
  texts: readonly string[];
  labels: ArrayLike<number>;
  groups?: readonly string[];
}

export function buildTextDataset(
  spec: { name: string; source: string; classes: readonly string[]; train: RawTextSplit; test: RawTextSplit },
  options: TextOptions = {},
  defaults: { minCount?: number; maxSize?: number } = {},
): TextDataset {
  const trainTokens = spec.train.texts.map(tokenize);
  const testTokens = spec.test.texts.map(tokenize);
  const minCount = options.minCount ?? defaults.minCount ?? 1;
  const maxSize = options.maxSize ?? defaults.maxSize;
  if (options.vocabulary && SPECIAL_TOKENS.some((t, i) => options.vocabulary![i] !== t)) {
    throw new GlassboxError('bad-option', `a given vocabulary must start with ${SPECIAL_TOKENS.join(', ')}`);
  }
  const vocabulary = Object.freeze(options.vocabulary ? [...options.vocabulary] : buildVocabulary(trainTokens, { minCount, ...(maxSize !== undefined ? { maxSize } : {}) }));
  let maxLength: number;
  let percentile: number | null = null;
  if (options.maxLength !== undefined) {
    if (!Number.isInteger(options.maxLength) || options.maxLength < 1) throw new GlassboxError('bad-option', `maxLength must be a positive integer, got ${options.maxLength}`);
    maxLength = options.maxLength;
  } else {
    percentile = options.lengthPercentile ?? 99;
    maxLength = lengthFromPercentile(trainTokens.map((t) => t.length), percentile);
  }
  const train = encodeSplit(`${spec.name} train`, spec.train, trainTokens, vocabulary, maxLength, spec.classes.length);
  const test = encodeSplit(`${spec.name} test`, spec.test, testTokens, vocabulary, maxLength, spec.classes.length);
  let unknown = 0;
  let total = 0;
  for (let i = 0; i < test.ids.length; i++) {
    if (test.ids[i] !== PAD_ID) total++;
    if (test.ids[i] === UNK_ID) unknown++;
  }
  const truncated = (s: TextSplit) => s.lengths.reduce((n, l) => n + (l > maxLength ? 1 : 0), 0);
  return {
    name: spec.name,
    kind: 'tokens',
    shape: Object.freeze([maxLength]),
    classes: Object.freeze([...spec.classes]),
    train,
    test,
    vocabulary,
    maxLength,
    tokenizer: TOKENIZER,
    source: spec.source,
    options: { minCount, maxSize: maxSize ?? null, maxLength, lengthPercentile: percentile },
    stats: { testUnknownRate: total ? unknown / total : 0, truncated: { train: truncated(train), test: truncated(test) } },
  };
}

function encodeSplit(what: string, raw: RawTextSplit, tokenized: string[][], vocabulary: readonly string[], maxLength: number, classes: number): TextSplit {
  const size = raw.texts.length;
  const ids = new Int32Array(size * maxLength);
  const lengths = new Int32Array(size);
  tokenized.forEach((tokens, i) => {
    lengths[i] = tokens.length;
    ids.set(tokensToIds(tokens.slice(0, maxLength), vocabulary), i * maxLength);
  });
  const labels = Int32Array.from(raw.labels);
  for (const l of labels) if (l < 0 || l >= classes) throw new GlassboxError('bad-data', `${what}: label ${l} is not one of the ${classes} classes`);
  return {
    size,
    labels,
    texts: Object.freeze([...raw.texts]),
    ids,
    lengths,
    ...(raw.groups ? { groups: Object.freeze([...raw.groups]) } : {}),
    inputs(indices: readonly number[]): Tensor {
      checkIndices(indices, size, what);
      const out = new BigInt64Array(indices.length * maxLength);
      indices.forEach((i, k) => {
        for (let j = 0; j < maxLength; j++) out[k * maxLength + j] = BigInt(ids[i * maxLength + j]!);
      });
      return new Tensor('int64', [indices.length, maxLength], out);
    },
  };
}

export interface EncodedText {
  /** The tokens of the text (lowercase, as the tokenizer splits it), truncated at maxLength. */
  tokens: string[];
  /** Their ids in the dataset's vocabulary (1 = [UNK]). */
  ids: number[];
  /** Which tokens are not in the vocabulary. */
  unknown: boolean[];
  /** Whether the text had more than maxLength tokens. */
  truncated: boolean;
  /** int64 [1, maxLength], padded with 0: ready to feed a model trained on the dataset. */
  input: Tensor;
}

/**
 * Tokenizes a user's sentence exactly as the dataset's examples were (same rule, same
 * vocabulary, same maxLength), e.g. to explain a model's prediction on it.
 */
export function encodeText(dataset: Dataset, text: string): EncodedText {
  if (dataset.kind !== 'tokens' || !dataset.vocabulary) {
    throw new GlassboxError('bad-input', `dataset ${dataset.name} is not a text dataset (its inputs are ${dataset.kind})`);
  }
  const maxLength = dataset.shape[0]!;
  const all = tokenize(text);
  const tokens = all.slice(0, maxLength);
  const ids = tokensToIds(tokens, dataset.vocabulary);
  const data = new BigInt64Array(maxLength);
  ids.forEach((id, j) => (data[j] = BigInt(id)));
  return {
    tokens,
    ids,
    unknown: ids.map((id) => id === UNK_ID),
    truncated: all.length > maxLength,
    input: new Tensor('int64', [1, maxLength], data),
  };
}
