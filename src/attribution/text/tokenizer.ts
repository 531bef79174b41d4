/**
 * The tokenizer contract text attribution works with. Two implementations: `HfTokenizer`
 * (a Hugging Face tokenizer.json: WordPiece, BPE, Unigram) and `WordVocabularyTokenizer` (the
 * word-level vocabularies of models trained here, src/data/tokenizer.ts).
 */

/** One text as a model reads it, with the way back to the text. */
export interface TextEncoding {
  /** Token ids, the special tokens the tokenizer adds ([CLS], [SEP], <s>, </s>) included. */
  ids: number[];
  /** The tokens as the tokenizer spells them ('##ing', 'Ġworld', '▁the'). */
  tokens: string[];
  /**
   * Each token's span [start, end) in the original text, in JavaScript string indices (UTF-16
   * code units), so `text.slice(start, end)` is what the token was read from. Added special
   * tokens have [0, 0].
   */
  offsets: [number, number][];
  /**
   * Which word of the text each token belongs to (words as the tokenizer's pre-tokenizer splits
   * the text), or null for the special tokens the tokenizer added.
   */
  wordIds: (number | null)[];
  /** Whether the text had more tokens than the maxLength asked for. */
  truncated: boolean;
}

export interface EncodeOptions {
  /**
   * At most this many tokens in all, added special tokens included; longer texts lose tokens
   * from their end, and the added special tokens stay (as Hugging Face truncation does).
   */
  maxLength?: number;
}

export interface TextTokenizer {
  /** 'huggingface' (a tokenizer.json) or 'words' (a vocabulary trained here). */
  readonly kind: 'huggingface' | 'words';
  /** Ids 0 … vocabularySize − 1 (added tokens included). */
  readonly vocabularySize: number;
  /** The padding token's id (undefined for tokenizers without one, e.g. GPT-2's). */
  readonly padId: number | undefined;
  /** The [MASK] token's id, for masked-LM tokenizers. */
  readonly maskId: number | undefined;
  /** The unknown-token id (undefined for byte-level BPE, which needs none). */
  readonly unkId: number | undefined;
  /** Every special token: content → id. */
  readonly specialTokens: ReadonlyMap<string, number>;
  /**
   * Ids of the tokens the tokenizer adds around every text ([CLS] and [SEP], <s> and </s>):
   * the positions that baselines keep as they are.
   */
  readonly addedIds: ReadonlySet<number>;
  /** The length every input was padded to for the model (a dataset's maxLength), if fixed. */
  readonly sequenceLength: number | undefined;
  /**
   * Tokenizes a text. Asynchronous because the Hugging Face tokenizers library only offers an
   * asynchronous encode (it runs off the main thread).
   */
  encode(text: string, options?: EncodeOptions): Promise<TextEncoding>;
  /** The token for an id, or undefined. */
  idToToken(id: number): string | undefined;
}

/**
 * The words of `text` the tokenizer could only read as its unknown token ([UNK]), in order and
 * once each: the model saw none of them, which a reader of their attributions must be told.
 */
export function unknownWords(text: string, encoding: TextEncoding, tokenizer: Pick<TextTokenizer, 'unkId' | 'specialTokens'>): string[] {
  const unkId = tokenizer.unkId;
  if (unkId === undefined) return [];
  const spelled = [...tokenizer.specialTokens].find(([, id]) => id === unkId)?.[0];
  const words = encoding.ids.flatMap((id, i) => {
    if (id !== unkId) return [];
    const [start, end] = encoding.offsets[i]!;
    const word = text.slice(start, end);
    // A text that spells the unknown token itself ("[UNK]") was read as written.
    return word === '' || word === spelled ? [] : [word];
  });
  return [...new Set(words)];
}
