import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unknownWords } from '../../../../src/attribution/text/tokenizer.js';
import { HfTokenizer } from '../../../../src/attribution/text/hf-tokenizer.js';
import { ROOT } from '../../../helpers/fixtures.js';

const file = (name: string) => join(ROOT, 'test', 'fixtures', 'tokenizers', `${name}.json`);
const spans = (text: string, offsets: [number, number][]) => offsets.map(([s, e]) => text.slice(s, e));

// Expected encodings worked out by hand from each file's vocabulary and rules (see the README
// beside the fixtures): WordPiece's greedy longest match, BPE's merge ranks, Unigram's best sum.
describe('HfTokenizer', () => {
  it('WordPiece (BERT uncased): lowercase and accents stripped, ## continuations, [CLS] … [SEP]', async () => {
    const t = await HfTokenizer.fromFile(file('wordpiece'));
    const text = 'The CAFÉ was unbelievable!';
    const e = await t.encode(text);
    expect(e.tokens).toEqual(['[CLS]', 'the', 'cafe', 'was', 'un', '##believ', '##able', '!', '[SEP]']);
    expect(e.ids).toEqual([2, 5, 22, 7, 8, 9, 10, 11, 3]);
    expect(e.wordIds).toEqual([null, 0, 1, 2, 3, 3, 3, 4, null]);
    expect(spans(text, e.offsets)).toEqual(['', 'The', 'CAFÉ', 'was', 'un', 'believ', 'able', '!', '']);
    expect(e.truncated).toBe(false);
    expect([t.padId, t.unkId, t.maskId, t.vocabularySize]).toEqual([0, 1, 4, 40]);
    expect([...t.addedIds]).toEqual([2, 3]);
    expect([...t.specialTokens.keys()]).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  });

  it('WordPiece: a word with a piece missing is one [UNK]; punctuation splits words', async () => {
    const t = await HfTokenizer.fromFile(file('wordpiece'));
    const text = "Acting, playing. It's unbelievably bad";
    const e = await t.encode(text);
    expect(e.tokens).toEqual(['[CLS]', 'act', '##ing', ',', 'play', '##ing', '.', 'it', "'", '[UNK]', '[UNK]', 'bad', '[SEP]']);
    expect(e.ids).toEqual([2, 30, 15, 13, 14, 15, 12, 26, 19, 1, 1, 28, 3]);
    expect(e.wordIds).toEqual([null, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, null]);
    expect(spans(text, e.offsets)).toEqual(['', 'Act', 'ing', ',', 'play', 'ing', '.', 'It', "'", 's', 'unbelievably', 'bad', '']);
    expect(unknownWords(text, e, t)).toEqual(['s', 'unbelievably']);
    // "[UNK]" spelled out in the text is the token itself, not an unknown word.
    expect(unknownWords('[UNK] bad', await t.encode('[UNK] bad'), t)).toEqual([]);
  });

  it('offsets are JavaScript string indices, also after characters outside the BMP', async () => {
    const t = await HfTokenizer.fromFile(file('wordpiece'));
    const text = '😀 good 😀😀 movie';
    const e = await t.encode(text);
    expect(e.tokens).toEqual(['[CLS]', '[UNK]', 'good', '[UNK]', 'movie', '[SEP]']);
    expect(spans(text, e.offsets)).toEqual(['', '😀', 'good', '😀😀', 'movie', '']);
  });

  it('byte-level BPE (RoBERTa): merges by rank, Ġ words, <s> … </s>, offsets without the space', async () => {
    const t = await HfTokenizer.fromFile(file('bpe'));
    const text = 'Hello world, the movie!';
    const e = await t.encode(text);
    expect(e.tokens).toEqual(['<s>', 'Hello', 'Ġworld', ',', 'Ġthe', 'Ġmovie', '!', '</s>']);
    expect(e.ids).toEqual([0, 45, 50, 36, 41, 55, 35, 2]);
    expect(e.wordIds).toEqual([null, 0, 1, 2, 3, 4, 5, null]);
    expect(spans(text, e.offsets)).toEqual(['', 'Hello', 'world', ',', 'the', 'movie', '!', '']);
    const sub = await t.encode('the worlds lovely');
    expect(sub.tokens).toEqual(['<s>', 't', 'he', 'Ġworld', 's', 'Ġlove', 'ly', '</s>']);
    expect(sub.wordIds).toEqual([null, 0, 0, 1, 1, 2, 2, null]);
    expect([t.padId, t.unkId, t.maskId, [...t.addedIds]]).toEqual([1, 3, 4, [0, 2]]);
  });

  it('Unigram (SentencePiece, T5-like): the best-scoring split, ▁ words, … </s>', async () => {
    const t = await HfTokenizer.fromFile(file('unigram'));
    const text = 'The unbelievable movie';
    const e = await t.encode(text);
    expect(e.tokens).toEqual(['▁the', '▁un', 'believ', 'able', '▁movie', '</s>']);
    expect(e.ids).toEqual([4, 6, 7, 8, 5, 1]);
    expect(e.wordIds).toEqual([0, 1, 1, 1, 2, null]);
    expect(spans(text, e.offsets)).toEqual(['The', ' un', 'believ', 'able', ' movie', '']);
    // ▁act + or + s (−15) beats ▁actor + s (−16).
    expect((await t.encode('Actors good!')).tokens).toEqual(['▁act', 'or', 's', '▁good', '!', '</s>']);
    expect([t.padId, t.unkId, t.maskId, [...t.addedIds]]).toEqual([0, 2, undefined, [1]]);
  });

  it('truncates to maxLength keeping the added special tokens, as encoding with special tokens does', async () => {
    const t = await HfTokenizer.fromFile(file('wordpiece'));
    const e = await t.encode('The CAFÉ was unbelievable!', { maxLength: 6 });
    expect(e.tokens).toEqual(['[CLS]', 'the', 'cafe', 'was', 'un', '[SEP]']);
    expect(e.wordIds).toEqual([null, 0, 1, 2, 3, null]);
    expect(e.truncated).toBe(true);
    // Encodings with different limits at the same time do not see each other's setting.
    const [short, full] = await Promise.all([t.encode('the movie was good', { maxLength: 4 }), t.encode('the movie was good')]);
    expect([short.tokens, full.tokens]).toEqual([['[CLS]', 'the', 'movie', '[SEP]'], ['[CLS]', 'the', 'movie', 'was', 'good', '[SEP]']]);
    await expect(t.encode('the movie', { maxLength: 2 })).rejects.toThrow(/maxLength 2 leaves no room for text beside the 2 special tokens/);
  });

  it('refuses missing and malformed files with one-line errors', async () => {
    await expect(HfTokenizer.fromFile(file('nope'))).rejects.toThrow(/cannot read the tokenizer .*nope\.json \(ENOENT\)/);
    await expect(HfTokenizer.fromJSON('{"model": 3', 'x.json')).rejects.toThrow(/x\.json is not JSON/);
    await expect(HfTokenizer.fromJSON('{"model": {"type": "Nope"}}', 'y.json')).rejects.toThrow(/y\.json is not a tokenizer\.json the Hugging Face tokenizers library can read/);
  });
});
