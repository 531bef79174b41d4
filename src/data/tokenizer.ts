/**
 * Word-level tokenization and vocabularies for glassbox's text datasets.
 *
 * The rule (version 'words-v1'; every text dataset and `encodeText` use it):
 * 1. Unicode NFC; control and format characters become spaces; curly apostrophes (’ ‘) become '.
 * 2. Lowercase with String.prototype.toLowerCase (locale-independent).
 * 3. A token is either a word — a run of letters, marks and digits, with apostrophes allowed
 *    between them ("don't", "it's", "rock'n'roll") — or one single punctuation/symbol character.
 *    Whitespace separates tokens and is dropped. So "slow-moving" is [slow, -, moving],
 *    "10/10" is [10, /, 10], "!!!" is [!, !, !], a leading or trailing quote is its own token.
 */
import { GlassboxError } from '../util/errors.js';

export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const MASK = '[MASK]';
/** Ids 0, 1, 2 of every vocabulary (see Dataset.vocabulary in src/train/types.ts). */
export const SPECIAL_TOKENS: readonly string[] = Object.freeze([PAD, UNK, MASK]);
export const PAD_ID = 0;
export const UNK_ID = 1;
export const MASK_ID = 2;

export const TOKENIZER = 'words-v1';

const CONTROL = /[\p{Cc}\p{Cf}]/gu;
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/** Splits a text into lowercase word and punctuation tokens (the rule above). */
export function tokenize(text: string): string[] {
  const clean = text.normalize('NFC').replace(CONTROL, ' ').replace(/[\u2018\u2019]/g, "'").toLowerCase();
  return clean.match(TOKEN) ?? [];
}

export interface VocabularyOptions {
  /** Keep tokens seen at least this many times in the training texts (default 1). */
  minCount?: number;
  /** At most this many entries, the three special tokens included (default: no limit). */
  maxSize?: number;
}

/**
 * A vocabulary from tokenized training texts: [PAD], [UNK], [MASK], then the tokens seen at least
 * `minCount` times, most frequent first, ties in code-unit order (the same on every platform).
 */
export function buildVocabulary(tokenized: readonly (readonly string[])[], options: VocabularyOptions = {}): string[] {
  const minCount = options.minCount ?? 1;
  const maxSize = options.maxSize ?? Infinity;
  if (!Number.isInteger(minCount) || minCount < 1) throw new GlassboxError('bad-option', `vocabulary minCount must be a positive integer, got ${minCount}`);
  if (maxSize !== Infinity && (!Number.isInteger(maxSize) || maxSize < SPECIAL_TOKENS.length)) {
    throw new GlassboxError('bad-option', `vocabulary maxSize must be an integer of at least ${SPECIAL_TOKENS.length}, got ${maxSize}`);
  }
  const counts = new Map<string, number>();
  for (const tokens of tokenized) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  const kept = [...counts].filter(([, c]) => c >= minCount);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return [...SPECIAL_TOKENS, ...kept.slice(0, maxSize - SPECIAL_TOKENS.length).map(([t]) => t)];
}

const indexes = new WeakMap<readonly string[], Map<string, number>>();

/** token → id for a vocabulary (built once per vocabulary array). */
export function vocabularyIndex(vocabulary: readonly string[]): Map<string, number> {
  let index = indexes.get(vocabulary);
  if (!index) {
    index = new Map(vocabulary.map((t, i) => [t, i]));
    indexes.set(vocabulary, index);
  }
  return index;
}

/** Token ids (unknown tokens → 1), not padded or truncated. */
export function tokensToIds(tokens: readonly string[], vocabulary: readonly string[]): number[] {
  const index = vocabularyIndex(vocabulary);
  return tokens.map((t) => index.get(t) ?? UNK_ID);
}

/**
 * The p-th percentile (nearest rank) of token counts, rounded up to a multiple of 8: the default
 * padded length of a text dataset. At least 8.
 */
export function lengthFromPercentile(lengths: readonly number[], percentile: number): number {
  if (!(percentile > 0 && percentile <= 100)) throw new GlassboxError('bad-option', `lengthPercentile must be in (0, 100], got ${percentile}`);
  if (lengths.length === 0) return 8;
  const sorted = [...lengths].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return Math.max(8, Math.ceil(sorted[rank - 1]! / 8) * 8);
}
