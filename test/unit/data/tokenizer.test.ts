import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/data/index.js';
import { encodeText, type TextDataset } from '../../../src/data/text.js';
import { buildVocabulary, lengthFromPercentile, SPECIAL_TOKENS, tokenize, tokensToIds } from '../../../src/data/tokenizer.js';
import { GlassboxError } from '../../../src/util/errors.js';

describe('tokenize', () => {
  it('lowercases and splits words from punctuation, one token per punctuation character', () => {
    expect(tokenize('A very, very slow-moving movie... 10/10!!')).toEqual([
      'a', 'very', ',', 'very', 'slow', '-', 'moving', 'movie', '.', '.', '.', '10', '/', '10', '!', '!',
    ]);
    expect(tokenize('(including a "Shirley Jones" rendition)')).toEqual(['(', 'including', 'a', '"', 'shirley', 'jones', '"', 'rendition', ')']);
    expect(tokenize('s*** & $5.99 :-)')).toEqual(['s', '*', '*', '*', '&', '$', '5', '.', '99', ':', '-', ')']);
  });

  it('keeps apostrophes inside words only, curly ones included', () => {
    expect(tokenize("Don't, it’s Atlanta's")).toEqual(["don't", ',', "it's", "atlanta's"]);
    expect(tokenize("'The Trap!'")).toEqual(["'", 'the', 'trap', '!', "'"]);
    expect(tokenize("rock'n'roll")).toEqual(["rock'n'roll"]);
  });

  it('handles accents (any Unicode normalisation), whitespace and invisible characters', () => {
    expect(tokenize('Québec CAFÉ')).toEqual(['québec', 'café']);
    expect(tokenize('Que\u0301bec')).toEqual(['québec']);
    expect(tokenize('  a\tb\n\u200bc\u0000d  ')).toEqual(['a', 'b', 'c', 'd']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n ')).toEqual([]);
  });
});

describe('vocabulary', () => {
  const texts = [['b', 'a', 'c'], ['a', 'b'], ['a', 'd']];
  it('puts [PAD], [UNK], [MASK] first, then tokens by count, ties in code-unit order', () => {
    expect(SPECIAL_TOKENS).toEqual(['[PAD]', '[UNK]', '[MASK]']);
    expect(buildVocabulary(texts)).toEqual(['[PAD]', '[UNK]', '[MASK]', 'a', 'b', 'c', 'd']);
    expect(buildVocabulary(texts, { minCount: 2 })).toEqual(['[PAD]', '[UNK]', '[MASK]', 'a', 'b']);
    expect(buildVocabulary(texts, { maxSize: 4 })).toEqual(['[PAD]', '[UNK]', '[MASK]', 'a']);
    expect(tokensToIds(['a', 'zzz', 'd'], buildVocabulary(texts))).toEqual([3, 1, 6]);
  });

  it('refuses bad options with one-line errors', () => {
    expect(() => buildVocabulary(texts, { minCount: 0 })).toThrow(/minCount/);
    expect(() => buildVocabulary(texts, { maxSize: 2 })).toThrow(/maxSize/);
  });

  it('picks the padded length from a percentile, rounded up to a multiple of 8', () => {
    const lengths = Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100
    expect(lengthFromPercentile(lengths, 95)).toBe(96);
    expect(lengthFromPercentile(lengths, 99)).toBe(104);
    expect(lengthFromPercentile(lengths, 100)).toBe(104);
    expect(lengthFromPercentile([3, 4], 99)).toBe(8);
  });
});

describe('encodeText', () => {
  const data = loadDataset('sentiment-yelp') as TextDataset;

  it('tokenizes a user sentence exactly as the dataset was', () => {
    const i = 5;
    const own = encodeText(data, data.train.texts[i]!);
    const L = data.maxLength;
    expect([...own.input.data]).toEqual([...data.train.ids.subarray(i * L, (i + 1) * L)].map(BigInt));
    expect([...(data.train.inputs([i]).data as BigInt64Array)]).toEqual([...own.input.data]);
  });

  it('maps unknown words to [UNK] (id 1) and pads with [PAD] (id 0)', () => {
    const e = encodeText(data, 'The food was Zorblaxian!');
    expect(e.tokens).toEqual(['the', 'food', 'was', 'zorblaxian', '!']);
    expect(e.unknown).toEqual([false, false, false, true, false]);
    expect(e.ids[3]).toBe(1);
    expect(e.ids.slice(0, 3).every((id) => id > 2)).toBe(true);
    expect(e.input.shape).toEqual([1, data.maxLength]);
    expect(e.input.dtype).toBe('int64');
    expect([...e.input.data].slice(5).every((v) => v === 0n)).toBe(true);
    expect(e.truncated).toBe(false);
  });

  it('truncates at maxLength', () => {
    const e = encodeText(data, 'good '.repeat(data.maxLength + 3));
    expect(e.tokens).toHaveLength(data.maxLength);
    expect(e.truncated).toBe(true);
  });

  it('refuses datasets that are not text', () => {
    const fake = { ...data, kind: 'vector' as const, vocabulary: undefined };
    expect(() => encodeText(fake, 'hello')).toThrow(GlassboxError);
  });
});
