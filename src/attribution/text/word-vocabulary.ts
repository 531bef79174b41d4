/**
 * The word-level vocabularies of models trained here (src/data: rule 'words-v1', ids 0 [PAD],
 * 1 [UNK], 2 [MASK]) behind the TextTokenizer contract, with each token's span in the original
 * text.
 */
import type { Dataset } from '../../train/types.js';
import { MASK_ID, PAD_ID, SPECIAL_TOKENS, UNK_ID, tokenize, tokensToIds } from '../../data/tokenizer.js';
import { GlassboxError } from '../../util/errors.js';
import type { EncodeOptions, TextEncoding, TextTokenizer } from './tokenizer.js';

export class WordVocabularyTokenizer implements TextTokenizer {
  readonly kind = 'words' as const;
  readonly padId = PAD_ID;
  readonly maskId = MASK_ID;
  readonly unkId = UNK_ID;
  readonly specialTokens: ReadonlyMap<string, number> = new Map(SPECIAL_TOKENS.map((t, i) => [t, i]));
  /** Nothing is added around a text: every token is read from it. */
  readonly addedIds: ReadonlySet<number> = new Set();
  readonly sequenceLength: number | undefined;

  /**
   * @param vocabulary a dataset's vocabulary ([PAD], [UNK], [MASK] first)
   * @param sequenceLength the padded length of the model's inputs (a dataset's maxLength): texts
   *   are truncated to it by default, and TextModel pads to it, as encodeText does
   */
  constructor(readonly vocabulary: readonly string[], sequenceLength?: number) {
    if (SPECIAL_TOKENS.some((t, i) => vocabulary[i] !== t)) throw new GlassboxError('bad-option', `a word vocabulary must start with ${SPECIAL_TOKENS.join(', ')}`);
    if (sequenceLength !== undefined && !(Number.isInteger(sequenceLength) && sequenceLength > 0)) throw new GlassboxError('bad-option', `sequenceLength must be a positive integer, got ${sequenceLength}`);
    this.sequenceLength = sequenceLength;
  }

  /** The tokenizer of a text dataset (its vocabulary and padded length). */
  static fromDataset(dataset: Dataset): WordVocabularyTokenizer {
    if (dataset.kind !== 'tokens' || !dataset.vocabulary) throw new GlassboxError('bad-input', `dataset ${dataset.name} is not a text dataset (its inputs are ${dataset.kind})`);
    return new WordVocabularyTokenizer(dataset.vocabulary, dataset.shape[0]);
  }

  get vocabularySize(): number {
    return this.vocabulary.length;
  }

  async encode(text: string, options: EncodeOptions = {}): Promise<TextEncoding> {
    return this.encodeSync(text, options);
  }

  /** encode(), synchronously: ids equal those of encodeText for a dataset with this vocabulary. */
  encodeSync(text: string, options: EncodeOptions = {}): TextEncoding {
    const maxLength = options.maxLength ?? this.sequenceLength ?? Infinity;
    if (!(maxLength >= 1)) throw new GlassboxError('bad-option', `maxLength must be at least 1, got ${maxLength}`);
    const all = tokenize(text);
    const tokens = all.slice(0, maxLength);
    return {
      ids: tokensToIds(tokens, this.vocabulary),
      tokens,
      offsets: tokenOffsets(text, tokens),
      wordIds: tokens.map((_, i) => i),
      truncated: all.length > maxLength,
    };
  }

  idToToken(id: number): string | undefined {
    return this.vocabulary[id];
  }
}

/**
 * Where each token (from tokenize(text), in order) lies in `text`. The words-v1 rule cleans
 * the whole text before splitting it (NFC, control characters → spaces, curly → straight
 * apostrophes, lowercase), and NFC and lowercasing may change lengths ('e\u0301' → 'é',
 * 'İ' → 'i̇'). So the text is cleaned piece by piece — a character with its combining marks —
 * keeping each piece's original span, and tokens are found in order in that aligned copy.
 */
export function tokenOffsets(text: string, tokens: readonly string[]): [number, number][] {
  const { clean, start, end } = alignedClean(text);
  const folded = foldSigma(clean);
  const offsets: [number, number][] = [];
  let cursor = 0;
  for (const token of tokens) {
    const at = folded.indexOf(foldSigma(token), cursor);
    if (at < 0 || token.length === 0) {
      // Cannot happen while per-piece cleaning matches whole-text cleaning (see the tests on
      // every sentiment sentence); an empty span at the current place is the safe answer.
      const here = cursor < clean.length ? start[cursor]! : text.length;
      offsets.push([here, here]);
      continue;
    }
    cursor = at + token.length;
    offsets.push([start[at]!, end[cursor - 1]!]);
  }
  return offsets;
}

const CONTROL = /[\p{Cc}\p{Cf}]/gu;
/** Code points that belong to the piece before them: combining marks, Hangul medial and final jamo (NFC composes across them). */
const JOINS = /^[\p{M}\u1160-\u11FF\uD7B0-\uD7FF]/u;

/** The words-v1 cleaning (src/data/tokenizer.ts) of one piece of text. */
function cleanPiece(piece: string): string {
  return piece.normalize('NFC').replace(CONTROL, ' ').replace(/[\u2018\u2019]/g, "'").toLowerCase();
}

/** The cleaned text, and for each of its UTF-16 units the span [start, end) of the original piece it came from. */
function alignedClean(text: string): { clean: string; start: number[]; end: number[] } {
  const pieces: [number, number][] = [];
  let i = 0;
  for (const ch of text) {
    if (pieces.length > 0 && JOINS.test(ch)) pieces[pieces.length - 1]![1] = i + ch.length;
    else pieces.push([i, i + ch.length]);
    i += ch.length;
  }
  let clean = '';
  const start: number[] = [];
  const end: number[] = [];
  for (const [s, e] of pieces) {
    const c = cleanPiece(text.slice(s, e));
    clean += c;
    for (let k = 0; k < c.length; k++) {
      start.push(s);
      end.push(e);
    }
  }
  return { clean, start, end };
}

/** Lowercasing a whole text makes a word-final Σ 'ς', one piece alone gives 'σ': compare them as equal. */
function foldSigma(s: string): string {
  return s.replace(/ς/g, 'σ');
}
