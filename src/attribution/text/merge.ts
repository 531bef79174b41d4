/**
 * From attributions over embedding vectors to one number per token, and from tokens to words.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';

/**
 * One value per token: the attribution summed over the embedding dimensions, for the first
 * `length` positions of row `row` of an attribution [batch, seq, d] (or [seq, d]).
 */
export function tokenSums(attribution: Tensor, length?: number, row = 0): number[] {
  const shape = attribution.rank === 2 ? [1, ...attribution.shape] : attribution.shape;
  if (shape.length !== 3) throw new GlassboxError('bad-input', `token attributions need a tensor [batch, seq, d], got shape [${attribution.shape.join(', ')}]`);
  const [rows, seq, d] = shape as [number, number, number];
  if (!(Number.isInteger(row) && row >= 0 && row < rows)) throw new GlassboxError('bad-input', `row ${row} is out of range (the attribution has ${rows} rows)`);
  const n = length ?? seq;
  if (n > seq) throw new GlassboxError('bad-input', `${n} tokens asked for, the attribution has ${seq} positions`);
  const data = attribution.data as ArrayLike<number>;
  const out = new Array<number>(n);
  for (let t = 0; t < n; t++) {
    let sum = 0;
    const base = (row * seq + t) * d;
    for (let k = 0; k < d; k++) sum += data[base + k]!;
    out[t] = sum;
  }
  return out;
}

/**
 * Captum's summarize_attributions (its BERT tutorials): the per-token sums divided by their
 * L2 norm. All zeros stay zeros.
 */
export function normalizeL2(values: readonly number[]): number[] {
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  return norm === 0 ? [...values] : values.map((v) => v / norm);
}

export interface WordAttribution {
  /** The word as written in the text (or its tokens joined, when no text is given). */
  word: string;
  /** The sum of its tokens' values. */
  value: number;
  /** Indices of its tokens. */
  tokens: number[];
  /** Its span [start, end) in the text, when offsets are given. */
  start?: number;
  end?: number;
}

/**
 * Subword values merged into words: tokens with the same word id are summed ('un', '##believ',
 * '##able' → 'unbelievable'; 'Ġworld', 's' → 'worlds'). Words come from the tokenizer's word
 * ids, never from '##'/'Ġ'/'▁' markers; tokens without a word (added [CLS], [SEP]) are left
 * out. With the text and offsets, each word is the text it spans (surrounding spaces trimmed).
 */
export function mergeWords(
  tokens: readonly string[],
  values: readonly number[],
  wordIds: readonly (number | null)[],
  source?: { text: string; offsets: readonly (readonly [number, number])[] },
): WordAttribution[] {
  const n = values.length;
  if (n > tokens.length || n > wordIds.length || (source && n > source.offsets.length)) {
    throw new GlassboxError('bad-input', `${n} values for ${Math.min(tokens.length, wordIds.length)} tokens`);
  }
  const words: WordAttribution[] = [];
  const byId = new Map<number, WordAttribution>();
  for (let i = 0; i < n; i++) {
    const id = wordIds[i];
    if (id === null || id === undefined) continue;
    let word = byId.get(id);
    if (!word) {
      word = { word: '', value: 0, tokens: [] };
      byId.set(id, word);
      words.push(word);
    }
    word.value += values[i]!;
    word.tokens.push(i);
  }
  for (const w of words) {
    if (!source) {
      w.word = w.tokens.map((i) => tokens[i]).join('');
      continue;
    }
    let start = Math.min(...w.tokens.map((i) => source.offsets[i]![0]));
    let end = Math.max(...w.tokens.map((i) => source.offsets[i]![1]));
    // SentencePiece-style tokens ('▁un') span the space before them.
    while (start < end && /\s/.test(source.text[start]!)) start++;
    while (end > start && /\s/.test(source.text[end - 1]!)) end--;
    Object.assign(w, { word: source.text.slice(start, end), start, end });
  }
  return words;
}
