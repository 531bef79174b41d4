/** Text attribution: tokenizers, the embedding cut, per-token and per-word summaries. */
export type { EncodeOptions, TextEncoding, TextTokenizer } from './tokenizer.js';
export { HfTokenizer } from './hf-tokenizer.js';
export { WordVocabularyTokenizer, tokenOffsets } from './word-vocabulary.js';
export { findEmbeddingCut, RECIPE_EMBEDDING, type EmbeddingCut } from './embedding-cut.js';
export { forText, TextModel, type BaselineToken, type EncodedText, type TextModelOptions } from './text-model.js';
export { mergeWords, normalizeL2, tokenSums, type WordAttribution } from './merge.js';
