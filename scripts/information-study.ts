/**
 * The cross-architecture study of issue 6, reproducible by one command:
 *
 *   npm run study:information [-- --store <dir>] [--sentences N] [--samples N] [--docs <dir>]
 *
 * Trains (or reuses, see information-study/runs.ts) a Transformer, a bidirectional LSTM, a 1-D
 * CNN and a masked-LM-pretrained Transformer fine-tuned on the sentiment data, and a
 * reverse-sequence encoder; measures the per-word information of test sentences in every layer;
 * checks the paper's claims on the numbers; writes docs/information-study.md, the figures
 * docs/images/information-*.png, the HTML page and the JSON of every number.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { loadDataset } from '../src/data/index.js';
import { reverseClaims, sentimentClaims } from './information-study/claims.js';
import { afinn } from './information-study/lexicon.js';
import { reverseStudy } from './information-study/reverse.js';
import { trainOrReuse } from './information-study/runs.js';
import { chooseSentences, measureModels, modelStats } from './information-study/sentiment.js';
import { writeStudy } from './information-study/write.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: join('glassbox-runs', 'information-study') },
    docs: { type: 'string', default: 'docs' },
    sentences: { type: 'string', default: '24' },
    samples: { type: 'string', default: '100' },
  },
});
const started = Date.now();
const log = (line: string) => process.stderr.write(`${line}\n`);
const count = Number(values.sentences);
const samples = Number(values.samples);

const runs = await trainOrReuse(values.store!, log);
const lexicon = afinn();
const sentences = chooseSentences(loadDataset('sentiment'), lexicon, count);
log(`${sentences.length} test sentences; measuring…`);
const measures = await measureModels(values.store!, ['transformer', 'pretrained', 'lstm', 'textcnn'].map((role) => runs.get(role)!), sentences, samples, log);
const stats = measures.map((m) => modelStats(m, sentences));
const reverse = await reverseStudy(values.store!, runs.get('reverse')!, { sequences: 4, length: 8, samples }, log);
const claims = [...sentimentClaims(stats, measures, sentences), ...reverseClaims(reverse)];
const written = await writeStudy({
  command: `npm run study:information -- --sentences ${count} --samples ${samples}`,
  lexicon: lexicon.source,
  settings: { sentences: count, samples, measure: 'InformationMeasure defaults (λ 0.1, at most 5000 Adam steps, 4 noise draws per step, early stopping; seed 0), noise on the embedding output,' },
  sentences,
  runs: [...runs.values()],
  measures,
  stats,
  reverse,
  claims,
  seconds: (Date.now() - started) / 1000,
}, join(values.docs!, 'information-study.md'), join(values.docs!, 'images'));
for (const c of claims) log(`(${c.id}) ${c.verdict}: ${c.claim}`);
log(`wrote ${written.join(', ')}`);
