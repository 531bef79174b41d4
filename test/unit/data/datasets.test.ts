import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { brownDocuments, fashionMnistStatus, listDatasets, loadBrownTagged, loadDataset, sentimentRecords, simplifyBrownTag } from '../../../src/data/index.js';
import type { ImageDataset } from '../../../src/data/images.js';
import type { TextDataset } from '../../../src/data/text.js';
import { tokenize } from '../../../src/data/tokenizer.js';
import { groupedStratifiedSplit, shuffledIndices } from '../../../src/data/split.js';
import type { Dataset } from '../../../src/train/types.js';
import { GlassboxError } from '../../../src/util/errors.js';

const counts = (labels: Int32Array, classes: number) => {
  const c = new Array<number>(classes).fill(0);
  for (const l of labels) c[l]!++;
  return c;
};
const sha = (lines: readonly string[]) => createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
const infoOf = (name: string) => listDatasets().find((d) => d.name === name)!;

function checkSizes(d: Dataset): void {
  const info = infoOf(d.name);
  expect({ train: d.train.size, test: d.test.size }).toEqual(info.sizes);
  expect(d.classes).toEqual(info.classes);
  expect(d.kind).toBe(info.kind);
  expect(d.train.labels.length).toBe(d.train.size);
  expect(d.test.labels.length).toBe(d.test.size);
}

describe('the registry', () => {
  it('lists every dataset with its kind, classes, sizes and availability', () => {
    const list = listDatasets();
    expect(list.map((d) => d.name)).toEqual(['mnist', 'fashion-mnist', 'sentiment', 'sentiment-imdb', 'sentiment-yelp', 'sentiment-amazon', 'reverse', 'brown-genre']);
    for (const d of list) {
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.available || typeof d.reason === 'string').toBe(true);
    }
    for (const name of ['mnist', 'sentiment', 'brown-genre']) expect(infoOf(name).available).toBe(true);
  });

  it('refuses unknown names with a suggestion', () => {
    expect(() => loadDataset('sentimnt')).toThrow(/unknown dataset "sentimnt" \(did you mean "sentiment"/);
  });
});

describe('mnist', () => {
  const mnist = loadDataset('mnist') as ImageDataset;

  it('has 60k/10k images of [1, 28, 28] in [0, 1] and ten roughly balanced classes', () => {
    checkSizes(mnist);
    expect(mnist.shape).toEqual([1, 28, 28]);
    expect(counts(mnist.train.labels, 10)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(counts(mnist.test.labels, 10)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const x = mnist.train.inputs([0, 1, 59999]);
    expect(x.shape).toEqual([3, 1, 28, 28]);
    expect(x.dtype).toBe('float32');
    const v = x.data as Float32Array;
    expect(Math.min(...v)).toBe(0);
    expect(Math.max(...v)).toBe(1);
    expect(v[0 * 784 + 14 * 28 + 14]).toBeCloseTo(mnist.train.pixels[14 * 28 + 14]! / 255, 6);
  });

  it('optionally standardises with the training mean and std (0.1307, 0.3081)', () => {
    const s = loadDataset('mnist', { normalize: 'standard' }) as ImageDataset;
    expect(s.normalization.mean).toBeCloseTo(0.1307, 4);
    expect(s.normalization.std).toBeCloseTo(0.3081, 4);
    expect((s.train.inputs([0]).data as Float32Array)[0]).toBeCloseTo(-0.1307 / 0.3081, 3);
    expect(() => loadDataset('mnist', { normalize: 'zscore' as never })).toThrow(/normalize/);
  });

  it('has no image in both splits', () => {
    const hash = (pixels: Uint8Array, i: number) => createHash('sha1').update(pixels.subarray(i * 784, (i + 1) * 784)).digest('hex');
    const train = new Set(Array.from({ length: mnist.train.size }, (_, i) => hash(mnist.train.pixels, i)));
    expect(train.size).toBe(60000);
    expect(Array.from({ length: mnist.test.size }, (_, i) => hash(mnist.test.pixels, i)).filter((h) => train.has(h))).toEqual([]);
  });

  it('refuses indices out of range', () => {
    expect(() => mnist.test.inputs([10000])).toThrow(/index 10000 is out of range/);
  });
});

describe('fashion-mnist', () => {
  const empty = mkdtempSync(join(tmpdir(), 'glassbox-fashion-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('is reported unavailable, with the apt command, when its files are absent', () => {
    const info = listDatasets({ dir: empty }).find((d) => d.name === 'fashion-mnist')!;
    expect(info.available).toBe(false);
    expect(info.reason).toMatch(/apt install dataset-fashion-mnist/);
    let error: unknown;
    try {
      loadDataset('fashion-mnist', { dir: empty });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GlassboxError);
    expect((error as Error).message).toMatch(/^dataset fashion-mnist: .*apt install dataset-fashion-mnist$/);
    expect((error as Error).message).not.toMatch(/\n/);
  });

  it('follows $GLASSBOX_FASHION_MNIST_DIR', () => {
    const before = process.env['GLASSBOX_FASHION_MNIST_DIR'];
    process.env['GLASSBOX_FASHION_MNIST_DIR'] = empty;
    try {
      expect(fashionMnistStatus().available).toBe(false);
      expect(infoOf('fashion-mnist').available).toBe(false);
    } finally {
      if (before === undefined) delete process.env['GLASSBOX_FASHION_MNIST_DIR'];
      else process.env['GLASSBOX_FASHION_MNIST_DIR'] = before;
    }
  });

  it('reads gzipped IDX files from the directory given', () => {
    const fake = mkdtempSync(join(tmpdir(), 'glassbox-fashion-fake-'));
    try {
      const idx = (dims: number[], data: number[]) => {
        const header = Buffer.alloc(4 + 4 * dims.length);
        header.writeUInt8(0x08, 2);
        header.writeUInt8(dims.length, 3);
        dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
        return gzipSync(Buffer.concat([header, Buffer.from(data)]));
      };
      for (const [prefix, n] of [['train', 3], ['t10k', 2]] as const) {
        writeFileSync(join(fake, `${prefix}-images-idx3-ubyte.gz`), idx([n, 28, 28], Array.from({ length: n * 784 }, (_, i) => i % 256)));
        writeFileSync(join(fake, `${prefix}-labels-idx1-ubyte.gz`), idx([n], Array.from({ length: n }, (_, i) => 9 - i)));
      }
      const d = loadDataset('fashion-mnist', { dir: fake });
      expect([d.train.size, d.test.size]).toEqual([3, 2]);
      expect([...d.test.labels]).toEqual([9, 8]);
      expect(d.classes[9]).toBe('Ankle boot');
      expect((d.train.inputs([0]).data as Float32Array)[255]).toBe(1);
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });

  it.skipIf(!fashionMnistStatus().available)('when installed: 60k/10k, exactly balanced', () => {
    const d = loadDataset('fashion-mnist');
    checkSizes(d);
    expect(counts(d.train.labels, 10)).toEqual(new Array(10).fill(6000));
    expect(counts(d.test.labels, 10)).toEqual(new Array(10).fill(1000));
  });
});

/** Text examples that appear (tokenized) in both splits. */
function overlap(d: TextDataset): string[] {
  const train = new Set(d.train.texts.map((t) => tokenize(t).join(' ')));
  return d.test.texts.filter((t) => train.has(tokenize(t).join(' ')));
}

describe('sentiment', () => {
  const pooled = loadDataset('sentiment') as TextDataset;

  it('has 3 × 1000 sentences (empty last records dropped), 80/20 per source and label', () => {
    const records = sentimentRecords();
    expect(records).toHaveLength(3000);
    expect(records.every((r) => r.text.length > 0 && r.text === r.text.trim())).toBe(true);
    checkSizes(pooled);
    expect(pooled.classes).toEqual(['negative', 'positive']);
    expect(counts(pooled.train.labels, 2)).toEqual([1200, 1200]);
    expect(counts(pooled.test.labels, 2)).toEqual([300, 300]);
    for (const source of ['imdb', 'yelp', 'amazon']) {
      const d = loadDataset(`sentiment-${source}`) as TextDataset;
      checkSizes(d);
      expect(counts(d.train.labels, 2)).toEqual([400, 400]);
      expect(counts(d.test.labels, 2)).toEqual([100, 100]);
      // A sentence is on the same side in the pooled and the single-source dataset.
      const pooledTest = new Set(pooled.test.texts.filter((_, i) => pooled.test.groups![i] === source));
      expect(new Set(d.test.texts)).toEqual(pooledTest);
    }
  });

  it('has a fixed split: the same on every call and every platform', () => {
    const again = loadDataset('sentiment') as TextDataset;
    expect(again.test.texts).toEqual(pooled.test.texts);
    expect(again.vocabulary).toEqual(pooled.vocabulary);
    expect(sha(pooled.test.texts)).toBe('2790926eae9d8787');
    expect(sha(pooled.vocabulary)).toBe('4e27504f3a245980');
    expect(shuffledIndices(8, 1)).toEqual(shuffledIndices(8, 1));
    expect(shuffledIndices(10, 42)).toEqual([0, 7, 3, 5, 2, 1, 8, 9, 4, 6]);
  });

  it('has no sentence in both splits, duplicates included', () => {
    expect(overlap(pooled)).toEqual([]);
    // The fixtures do repeat sentences: they stay together.
    const keys = sentimentRecords().map((r) => tokenize(r.text).join(' '));
    expect(new Set(keys).size).toBeLessThan(3000);
  });

  it('builds its vocabulary from the training split only, and pads token ids with 0', () => {
    expect(pooled.vocabulary.slice(0, 3)).toEqual(['[PAD]', '[UNK]', '[MASK]']);
    const trainTokens = new Set(pooled.train.texts.flatMap(tokenize));
    expect(pooled.vocabulary.slice(3).every((t) => trainTokens.has(t))).toBe(true);
    expect(pooled.vocabulary.length).toBe(trainTokens.size + 3);
    expect(pooled.stats.testUnknownRate).toBeGreaterThan(0);
    expect(pooled.shape).toEqual([pooled.maxLength]);
    expect(pooled.maxLength).toBe(48);
    const x = pooled.test.inputs([0, 1]);
    expect(x.dtype).toBe('int64');
    expect(x.shape).toEqual([2, 48]);
    const row = [...x.data].slice(48, 96) as bigint[];
    const n = tokenize(pooled.test.texts[1]!).length;
    expect(row.slice(0, n).every((v) => v > 0n)).toBe(true);
    expect(row.slice(n).every((v) => v === 0n)).toBe(true);
  });

  it('takes vocabulary and length options', () => {
    const d = loadDataset('sentiment', { minCount: 2, maxSize: 1000, maxLength: 20 }) as TextDataset;
    expect(d.vocabulary).toHaveLength(1000);
    expect(d.shape).toEqual([20]);
    expect(d.stats.truncated.train).toBeGreaterThan(0);
    expect((loadDataset('sentiment', { lengthPercentile: 50 }) as TextDataset).maxLength).toBe(16);
  });
});

describe('brown-genre', () => {
  const brown = loadDataset('brown-genre') as TextDataset;

  it('has 15 genres, every one in both splits', () => {
    checkSizes(brown);
    expect(brown.classes).toHaveLength(15);
    expect(brown.classes.slice(0, 3)).toEqual(['news', 'editorial', 'reviews']);
    for (const c of [counts(brown.train.labels, 15), counts(brown.test.labels, 15)]) expect(Math.min(...c)).toBeGreaterThan(100);
    expect(brown.vocabulary.length).toBe(23789);
    expect(brown.maxLength).toBe(72);
  });

  it('splits by document: 100 of 500 documents in test, none in both, no test sentence seen in training', () => {
    const docs = brownDocuments();
    expect(docs).toHaveLength(500);
    const test = docs.filter((d) => d.split === 'test');
    expect(test).toHaveLength(100);
    expect(new Set(test.map((d) => d.genre)).size).toBe(15);
    const trainDocs = new Set(brown.train.groups);
    expect(brown.test.groups!.some((g) => trainDocs.has(g))).toBe(false);
    expect(overlap(brown)).toEqual([]);
    expect(brown.stats.dropped).toEqual({ noLetters: 507, seenInTrain: 67 });
    expect(sha(test.map((d) => d.id))).toBe(sha('ca02 ca03 ca05 ca06 ca19 ca29 ca30 ca39 ca43 cb04 cb20 cb22 cb23 cb27 cc06 cc08 cc09 cd03 cd09 cd15 ce04 ce10 ce14 ce17 ce24 ce29 ce32 cf12 cf22 cf31 cf33 cf35 cf36 cf43 cf44 cf45 cf46 cg03 cg08 cg09 cg14 cg30 cg35 cg36 cg38 cg39 cg44 cg45 cg48 cg55 cg58 cg71 ch11 ch12 ch13 ch18 ch24 ch25 cj05 cj07 cj09 cj22 cj23 cj29 cj33 cj39 cj46 cj48 cj52 cj57 cj64 cj73 cj74 cj76 ck03 ck04 ck14 ck20 ck23 ck25 cl02 cl04 cl14 cl22 cl24 cm05 cn05 cn09 cn16 cn17 cn19 cn20 cp08 cp18 cp20 cp21 cp23 cp24 cr04 cr09'.split(' ')));
    expect(sha(brown.test.texts)).toBe(sha((loadDataset('brown-genre') as TextDataset).test.texts));
  });

  it('offers passages of consecutive sentences', () => {
    const p = loadDataset('brown-genre', { unit: 'passage', passageSentences: 5 }) as TextDataset;
    expect(p.train.size + p.test.size).toBeGreaterThan((brown.train.size + brown.test.size) / 5);
    expect(p.train.size + p.test.size).toBeLessThan((brown.train.size + brown.test.size) / 5 + 500);
    expect(() => loadDataset('brown-genre', { unit: 'paragraph' as never })).toThrow(/unit/);
  });

  it('gives the tagged sentences for POS analyses', () => {
    const { sentences } = loadBrownTagged();
    expect(sentences).toHaveLength(57340);
    expect(sentences.reduce((n, s) => n + s.words.length, 0)).toBe(1161192);
    expect(sentences.every((s) => s.words.length === s.tags.length && s.words.length > 0)).toBe(true);
    expect(sentences[0]!.words.slice(0, 4)).toEqual(['The', 'Fulton', 'County', 'Grand']);
    expect(sentences[0]!.tags.slice(0, 4)).toEqual(['at', 'np-tl', 'nn-tl', 'jj-tl']);
    expect(sentences[0]!.genre).toBe('news');
    expect(['nn-tl', 'fw-in', 'vbn-hl', 'ppss+md', 'md*', 'nn-tl-hl'].map(simplifyBrownTag)).toEqual(['nn', 'in', 'vbn', 'ppss+md', 'md*', 'nn']);
  });
});

describe('split helpers', () => {
  it('keep groups whole and hit each stratum quota exactly when possible', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ group: `g${Math.floor(i / 2) % 40}`, stratum: i % 2 ? 'a' : 'b' }));
    const test = groupedStratifiedSplit(items, 0.2, 3);
    const byGroup = new Map<string, Set<boolean>>();
    items.forEach((it, i) => byGroup.set(it.group, (byGroup.get(it.group) ?? new Set()).add(test[i]!)));
    expect([...byGroup.values()].every((s) => s.size === 1)).toBe(true);
    expect(test.filter((t, i) => t && items[i]!.stratum === 'a').length).toBe(10);
  });
});
