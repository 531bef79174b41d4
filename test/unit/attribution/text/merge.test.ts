import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HfTokenizer } from '../../../../src/attribution/text/hf-tokenizer.js';
import { mergeWords, normalizeL2, tokenSums } from '../../../../src/attribution/text/merge.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { ROOT } from '../../../helpers/fixtures.js';

const file = (name: string) => join(ROOT, 'test', 'fixtures', 'tokenizers', `${name}.json`);

describe('per-token sums and word merging', () => {
  it('sums over the embedding dims for the first `length` tokens of a row; normalises by the L2 norm', () => {
    const a = Tensor.float32([2, 3, 2], [1, 2, 3, 4, 5, 6, -1, -2, 0, 0, 7, 1]);
    expect(tokenSums(a)).toEqual([3, 7, 11]);
    expect(tokenSums(a, 2, 1)).toEqual([-3, 0]);
    expect(tokenSums(Tensor.float32([3, 2], [1, 2, 3, 4, 5, 6]))).toEqual([3, 7, 11]);
    expect(normalizeL2([3, 4])).toEqual([0.6, 0.8]);
    expect(normalizeL2([0, 0])).toEqual([0, 0]);
    expect(() => tokenSums(a, 4)).toThrow(/4 tokens asked for, the attribution has 3 positions/);
    expect(() => tokenSums(a, 1, 2)).toThrow(/row 2 is out of range/);
  });

  it('merges byte-level BPE pieces by word id, naming words from the text', async () => {
    const text = 'the worlds lovely';
    const e = await (await HfTokenizer.fromFile(file('bpe'))).encode(text);
    // <s> t he Ġworld s Ġlove ly </s>
    const words = mergeWords(e.tokens, [9, 1, 2, 3, 4, 5, 6, 9], e.wordIds, { text, offsets: e.offsets });
    expect(words).toEqual([
      { word: 'the', value: 3, tokens: [1, 2], start: 0, end: 3 },
      { word: 'worlds', value: 7, tokens: [3, 4], start: 4, end: 10 },
      { word: 'lovely', value: 11, tokens: [5, 6], start: 11, end: 17 },
    ]);
    // Without the text, a word is its tokens as spelled.
    expect(mergeWords(e.tokens, [0, 1, 2, 3, 4, 5, 6, 0], e.wordIds).map((w) => w.word)).toEqual(['the', 'Ġworlds', 'Ġlovely']);
  });

  it('trims the space SentencePiece pieces carry, and accepts values for a prefix of the tokens', async () => {
    const text = 'The unbelievable movie';
    const e = await (await HfTokenizer.fromFile(file('unigram'))).encode(text);
    // ▁the ▁un believ able ▁movie </s>
    const words = mergeWords(e.tokens, [1, 2, 3, 4, 5], e.wordIds, { text, offsets: e.offsets });
    expect(words.map((w) => [w.word, w.value, w.start, w.end])).toEqual([['The', 1, 0, 3], ['unbelievable', 9, 4, 16], ['movie', 5, 17, 22]]);
    expect(() => mergeWords(e.tokens, new Array(7).fill(0), e.wordIds)).toThrow(/7 values for 6 tokens/);
  });
});
