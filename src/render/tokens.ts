import { GlassboxError } from '../util/errors.js';
import { maxAbs } from './scale.js';

/** One line of token attributions: one method on one sentence. */
export interface TokenRow {
  /** Row header (a method name, or the sentence's number). */
  label?: string;
  tokens: readonly string[];
  /** One value per token (attribution summed over the embedding dimension). */
  values: ArrayLike<number>;
  /**
   * The word each token belongs to, as Hugging Face's `word_ids()` gives it (null for special
   * tokens such as [CLS]). Consecutive tokens with the same id are drawn as one word.
   */
  wordIds?: readonly (number | null)[];
  /** A short note shown after the row (e.g. the convergence delta). */
  note?: string;
}

/**
 * How values become intensities: 'row' divides each row by its own max |value| (methods have
 * different units, so this is the default), 'group' shares one max |value| across the rows of a
 * group (one sentence, several methods: compare methods on one scale), 'shared' one max over
 * every row of the picture, or a number: that fixed scale.
 */
export type ScaleMode = 'row' | 'group' | 'shared' | number;

/** A run of tokens drawn together: one word, or one token when no word ids are given. */
export interface WordSpan {
  start: number;
  end: number;
  word: number | null;
}

export function checkRow(row: TokenRow): void {
  const name = row.label === undefined ? 'a token row' : `token row "${row.label}"`;
  if (row.tokens.length !== row.values.length) {
    throw new GlassboxError('bad-input', `${name} has ${row.tokens.length} tokens but ${row.values.length} values`);
  }
  if (row.wordIds && row.wordIds.length !== row.tokens.length) {
    throw new GlassboxError('bad-input', `${name} has ${row.tokens.length} tokens but ${row.wordIds.length} word ids`);
  }
}

/** Consecutive tokens that share a non-null word id, as spans [start, end). */
export function wordSpans(row: TokenRow): WordSpan[] {
  const spans: WordSpan[] = [];
  const ids = row.wordIds;
  for (let i = 0; i < row.tokens.length; ) {
    const word = ids ? (ids[i] ?? null) : null;
    let end = i + 1;
    if (word !== null) while (end < row.tokens.length && ids![end] === word) end++;
    spans.push({ start: i, end, word });
    i = end;
  }
  return spans;
}

/**
 * A subword as shown inside its word: WordPiece's '##' continuation mark and the
 * SentencePiece/BPE word-start marks ('▁', 'Ġ') are dropped, since the grouping already shows
 * where words begin; the raw token stays in the hover text.
 */
export function displayToken(token: string, grouped: boolean, continuation: boolean): string {
  if (!grouped) return token;
  if (continuation && token.startsWith('##')) return token.slice(2);
  if (token.startsWith('\u2581') || token.startsWith('\u0120')) return token.slice(1) || token;
  return token;
}

/** Sum of the values of tokens [start, end): a merged word's attribution. */
export function spanSum(values: ArrayLike<number>, span: WordSpan): number {
  let s = 0;
  for (let i = span.start; i < span.end; i++) s += values[i]!;
  return s;
}

/** The scale of each row of each group under `mode` (see ScaleMode). */
export function rowScales(groups: readonly (readonly TokenRow[])[], mode: ScaleMode): number[][] {
  if (typeof mode === 'number') {
    if (!(mode > 0)) throw new GlassboxError('bad-input', `a fixed colour scale must be positive, got ${mode}`);
    return groups.map((rows) => rows.map(() => mode));
  }
  const all = Math.max(0, ...groups.flatMap((rows) => rows.map((r) => maxAbs(r.values))));
  return groups.map((rows) => {
    const group = Math.max(0, ...rows.map((r) => maxAbs(r.values)));
    return rows.map((r) => (mode === 'row' ? maxAbs(r.values) : mode === 'group' ? group : all));
  });
}
