import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadDataset, loadReverse, reverseVocabulary } from '../../../src/data/index.js';
import { tokenize } from '../../../src/data/tokenizer.js';
import { IGNORE_INDEX } from '../../../src/train/loss.js';

const sha = (lines: readonly string[]) => createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);

describe('reverse (the second task of Guan et al. 2019)', () => {
  const data = loadDataset('reverse') as ReturnType<typeof loadReverse>;

  it('is registered with its sizes, letters as tokens, padded to the longest sequence', () => {
    expect([data.train.size, data.test.size]).toEqual([20_000, 1_000]);
    expect(data.vocabulary).toEqual(reverseVocabulary(20));
    expect(data.vocabulary.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[MASK]', 'a', 'b']);
    expect(data.shape).toEqual([10]);
    const lengths = new Set(data.train.lengths);
    expect([...lengths].sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 10]);
  });

  it('labels output position j with input token n − 1 − j and ignores the padding', () => {
    const idx = [0, 1, 2, 999];
    const x = data.test.inputs(idx).toNumbers();
    const y = data.test.positionLabels!(idx).toNumbers();
    idx.forEach((e, k) => {
      const n = data.test.lengths[e]!;
      const row = x.slice(k * 10, k * 10 + 10);
      const labels = y.slice(k * 10, k * 10 + 10);
      for (let j = 0; j < 10; j++) {
        if (j < n) expect(labels[j]).toBe(row[n - 1 - j]);
        else expect([row[j], labels[j]]).toEqual([0, IGNORE_INDEX]);
      }
      // The text tokenizes to the same ids (what --text and the measure read).
      expect(tokenize(data.test.texts[e]!).map((t) => data.vocabulary.indexOf(t))).toEqual(row.slice(0, n));
      expect(data.test.labels[e]).toBe(labels[0]);
    });
  });

  it('is the same on every call (seeded), and other options give other examples', () => {
    expect(sha(data.train.texts.slice(0, 200))).toBe(sha(loadReverse().train.texts.slice(0, 200)));
    expect(sha(data.test.texts)).not.toBe(sha(data.train.texts.slice(0, 1000)));
    expect(loadReverse({ seed: 2 }).test.texts[0]).not.toBe(data.test.texts[0]);
    const fixed = loadReverse({ minLength: 4, maxLength: 4, symbols: 3, trainSize: 5, testSize: 2 });
    expect(fixed.train.texts.every((t) => /^[abc]( [abc]){3}$/.test(t))).toBe(true);
  });

  it('refuses impossible options in one line', () => {
    expect(() => loadReverse({ symbols: 27 })).toThrow(/^reverse: at most 26 symbols/);
    expect(() => loadReverse({ minLength: 5, maxLength: 3 })).toThrow(/^reverse: maxLength \(and ≥ minLength\) must be an integer ≥ 5, got 3/);
  });
});
