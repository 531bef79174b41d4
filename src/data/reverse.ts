/**
 * 'reverse': the second task of Guan et al. (ICML 2019) — read a random token sequence and
 * output it reversed. Every position is a classification over the vocabulary: output position j
 * of a sequence of length n must name input token n − 1 − j, so the examples carry per-position
 * labels (DataSplit.positionLabels) and train with a per-position model (recipe 'mlm').
 *
 * Synthetic and seeded: symbols are the letters a, b, c, … (single-letter words to the words-v1
 * tokenizer, so `--text "c a t"` tokenizes as the examples do); lengths are uniform in
 * [minLength, maxLength]; each split has its own generator stream, so the same options give the
 * same examples on every platform. Train and test are drawn independently (with 20 symbols and
 * length ≥ 6 a repeat is a one-in-64-million event, not worth a dedup pass).
 */
import { Tensor } from '../tensor/tensor.js';
import { IGNORE_INDEX } from '../train/loss.js';
import { GlassboxError } from '../util/errors.js';
import { Random } from '../util/random.js';
import { checkIndices } from './splits.js';
import type { TextDataset, TextSplit } from './text.js';
import { SPECIAL_TOKENS, TOKENIZER } from './tokenizer.js';

export interface ReverseOptions {
  /** Distinct symbols (default 20, at most 26: the letters a …). */
  symbols?: number;
  /** Shortest and longest sequence (default 6 and 10); inputs are padded to maxLength. */
  minLength?: number;
  maxLength?: number;
  /** Examples per split (default 20,000 and 1,000). */
  trainSize?: number;
  testSize?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
}

export const REVERSE_DEFAULTS = { symbols: 20, minLength: 6, maxLength: 10, trainSize: 20_000, testSize: 1_000, seed: 1 } as const;

export function loadReverse(options: ReverseOptions = {}): TextDataset {
  const o = { ...REVERSE_DEFAULTS, ...options };
  const whole = (v: number, min: number, what: string) => {
    if (!(Number.isInteger(v) && v >= min)) throw new GlassboxError('bad-option', `reverse: ${what} must be an integer ≥ ${min}, got ${v}`);
  };
  whole(o.symbols, 2, 'symbols');
  if (o.symbols > 26) throw new GlassboxError('bad-option', `reverse: at most 26 symbols (the letters), got ${o.symbols}`);
  whole(o.minLength, 1, 'minLength');
  whole(o.maxLength, o.minLength, 'maxLength (and ≥ minLength)');
  whole(o.trainSize, 1, 'trainSize');
  whole(o.testSize, 1, 'testSize');
  whole(o.seed, 0, 'seed');
  const vocabulary = reverseVocabulary(o.symbols);
  const split = (size: number, stream: number, what: string) => reverseSplit(what, size, new Random(o.seed * 7_919 + stream), o, vocabulary);
  return {
    name: 'reverse',
    kind: 'tokens',
    shape: Object.freeze([o.maxLength]),
    // Every position is classified into a token; the per-example label is output position 0's.
    classes: vocabulary,
    train: split(o.trainSize, 1, 'reverse train'),
    test: split(o.testSize, 2, 'reverse test'),
    vocabulary,
    maxLength: o.maxLength,
    tokenizer: TOKENIZER,
    source: `synthetic (glassbox reverse: ${o.symbols} symbols, lengths ${o.minLength}–${o.maxLength}, seed ${o.seed})`,
    options: { minCount: 1, maxSize: null, maxLength: o.maxLength, lengthPercentile: null },
    stats: { testUnknownRate: 0, truncated: { train: 0, test: 0 } },
  };
}

/** [PAD], [UNK], [MASK], then the letters a, b, … */
export function reverseVocabulary(symbols: number = REVERSE_DEFAULTS.symbols): readonly string[] {
  return Object.freeze([...SPECIAL_TOKENS, ...Array.from({ length: symbols }, (_, i) => String.fromCharCode(97 + i))]);
}

function reverseSplit(what: string, size: number, random: Random, o: Required<ReverseOptions>, vocabulary: readonly string[]): TextSplit {
  const width = o.maxLength;
  const ids = new Int32Array(size * width);
  const targets = new Int32Array(size * width).fill(IGNORE_INDEX);
  const lengths = new Int32Array(size);
  const texts: string[] = [];
  const first = SPECIAL_TOKENS.length;
  for (let e = 0; e < size; e++) {
    const n = o.minLength + random.int(o.maxLength - o.minLength + 1);
    lengths[e] = n;
    for (let p = 0; p < n; p++) ids[e * width + p] = first + random.int(o.symbols);
    for (let p = 0; p < n; p++) targets[e * width + p] = ids[e * width + n - 1 - p]!;
    texts.push(Array.from(ids.subarray(e * width, e * width + n), (id) => vocabulary[id]!).join(' '));
  }
  const rows = (source: Int32Array, indices: readonly number[]): Tensor => {
    checkIndices(indices, size, what);
    const out = new BigInt64Array(indices.length * width);
    indices.forEach((i, k) => {
      for (let p = 0; p < width; p++) out[k * width + p] = BigInt(source[i * width + p]!);
    });
    return new Tensor('int64', [indices.length, width], out);
  };
  return {
    size,
    labels: Int32Array.from({ length: size }, (_, e) => targets[e * width]!),
    texts: Object.freeze(texts),
    ids,
    lengths,
    inputs: (indices) => rows(ids, indices),
    positionLabels: (indices) => rows(targets, indices),
  };
}
