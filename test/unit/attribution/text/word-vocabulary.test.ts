import { describe, expect, it } from 'vitest';
import { unknownWords } from '../../../../src/attribution/text/tokenizer.js';
import { WordVocabularyTokenizer } from '../../../../src/attribution/text/word-vocabulary.js';
import { encodeText, loadDataset, sentimentRecords, tokenize } from '../../../../src/data/index.js';

describe('WordVocabularyTokenizer', () => {
  const dataset = loadDataset('sentiment');
  const tokenizer = WordVocabularyTokenizer.fromDataset(dataset);

  it('gives the ids encodeText gives, for every sentence of the sentiment dataset, with spans that re-tokenize to each token', () => {
    expect([tokenizer.vocabularySize, tokenizer.sequenceLength, tokenizer.padId, tokenizer.unkId, tokenizer.maskId]).toEqual([dataset.vocabulary!.length, dataset.shape[0], 0, 1, 2]);
    let tokens = 0;
    for (const { text } of sentimentRecords()) {
      const want = encodeText(dataset, text);
      const got = tokenizer.encodeSync(text);
      expect(got.ids).toEqual(want.ids);
      expect(got.tokens).toEqual(want.tokens);
      expect(got.truncated).toBe(want.truncated);
      expect(got.wordIds).toEqual(got.tokens.map((_, i) => i));
      got.offsets.forEach(([s, e], i) => expect(tokenize(text.slice(s, e))).toEqual([got.tokens[i]]));
      tokens += got.tokens.length;
    }
    expect(tokens).toBeGreaterThan(30000);
  });

  it('maps tokens back to the original text through NFC, case changes that alter lengths, and surrogate pairs', () => {
    const t = new WordVocabularyTokenizer(['[PAD]', '[UNK]', '[MASK]', 'café', "isn't", 'slow']);
    const text = 'CAFE\u0301 İstanbul  isn’t SLOW-moving 😀 ΟΔΟΣ!';
    const e = t.encodeSync(text);
    expect(e.tokens).toEqual(['café', 'i̇stanbul', "isn't", 'slow', '-', 'moving', '😀', 'οδος', '!']);
    expect(e.ids).toEqual([3, 1, 4, 5, 1, 1, 1, 1, 1]);
    expect(e.offsets.map(([s, end]) => text.slice(s, end))).toEqual(['CAFE\u0301', 'İstanbul', 'isn’t', 'SLOW', '-', 'moving', '😀', 'ΟΔΟΣ', '!']);
  });

  it('truncates to maxLength (the dataset\'s padded length by default) and refuses a vocabulary without the special tokens', () => {
    const e = new WordVocabularyTokenizer(['[PAD]', '[UNK]', '[MASK]'], 3).encodeSync('one two three four');
    expect([e.tokens, e.truncated]).toEqual([['one', 'two', 'three'], true]);
    expect(tokenizer.encodeSync('a b c', { maxLength: 2 }).tokens).toEqual(['a', 'b']);
    expect(() => new WordVocabularyTokenizer(['a', 'b', 'c'])).toThrow(/must start with \[PAD\], \[UNK\], \[MASK\]/);
  });

  it('names the words read as [UNK], as the text spells them, once each', () => {
    const t = new WordVocabularyTokenizer(['[PAD]', '[UNK]', '[MASK]', 'the', 'film']);
    const text = 'The Zorblax film, the zorblax zorblax';
    expect(unknownWords(text, t.encodeSync(text), t)).toEqual(['Zorblax', ',', 'zorblax']);
    expect(unknownWords('the film', t.encodeSync('the film'), t)).toEqual([]);
  });
});
