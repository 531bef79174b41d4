/**
 * The sentiment part of the demo: Integrated Gradients on a few sentences at checkpoints across
 * training (how the model's reasons form), and the per-word information of every layer at the
 * first, a middle and the last of them (what each layer keeps), saved to the store as
 * 'information' analyses for the dashboard.
 */
import { informationForText } from '../analysis/information/text.js';
import { forText } from '../attribution/text/text-model.js';
import { WordVocabularyTokenizer } from '../attribution/text/word-vocabulary.js';
import { explainSubject } from '../explain/explain.js';
import { textView } from '../explain/explanation.js';
import { resolveModel } from '../explain/model-ref.js';
import { resolveSubject, SubjectSessions } from '../explain/subject.js';
import type { RunStore } from '../store/store.js';
import { GlassboxError } from '../util/errors.js';
import { spreadCheckpoints } from './checkpoints.js';

export interface AttributionRow {
  step: number;
  testAccuracy?: number;
  tokens: string[];
  values: number[];
  wordIds: (number | null)[];
  delta?: number;
  /** P(positive) at this checkpoint. */
  positive: number;
}

export interface InformationRow {
  step: number;
  tokens: string[];
  layers: { name: string; sigma: number[]; entropy: number[] }[];
  seconds: number;
}

export interface SentimentStudy {
  runId: string;
  classes: readonly string[];
  sentences: { text: string; label?: string; attributions: AttributionRow[]; information: InformationRow[] }[];
}

export interface SentimentOptions {
  /** Checkpoints explained with IG (spread over the series). */
  checkpoints?: number;
  /** Checkpoints measured with the information measure (first, middle, last). */
  informationCheckpoints?: number;
  /** How many sentences get the information measure (it takes seconds each). */
  informationSentences?: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

/** The demo's sentences: one written here and test sentences of both labels. */
export function demoSentences(texts: readonly string[], labels: ArrayLike<number>, classes: readonly string[]): { text: string; label?: string }[] {
  const picked: { text: string; label?: string }[] = [{ text: 'The food was cold and the service was terribly slow, but the dessert was wonderful.' }];
  for (const want of [1, 0, 1]) {
    const i = texts.findIndex((t, k) => labels[k] === want && !picked.some((p) => p.text === t) && t.split(/\s+/).length >= 6 && t.split(/\s+/).length <= 14);
    if (i >= 0) picked.push({ text: texts[i]!, label: classes[want]! });
  }
  return picked;
}

export async function sentimentStudy(store: RunStore, runId: string, options: SentimentOptions = {}): Promise<SentimentStudy> {
  const series = store.listCheckpoints(runId);
  const explained = spreadCheckpoints(series, options.checkpoints ?? 6);
  const measured = spreadCheckpoints(series, options.informationCheckpoints ?? 3);
  const first = resolveModel(`${runId}:${series.at(-1)!.step}`, store.dir);
  const dataset = first.dataset;
  if (!dataset || dataset.kind !== 'tokens') throw new GlassboxError('bad-input', `run ${runId} is not a text run`);
  const positive = dataset.classes.indexOf('positive');
  const sentences = demoSentences(dataset.test.texts ?? [], dataset.test.labels, dataset.classes).map((s) => ({ ...s, attributions: [] as AttributionRow[], information: [] as InformationRow[] }));
  const total = explained.length + measured.length;
  let done = 0;

  for (const checkpoint of explained) {
    options.onProgress?.('Integrated Gradients across checkpoints', done, total);
    const ref = resolveModel(`${runId}:${checkpoint.step}`, store.dir);
    const sessions = new SubjectSessions();
    try {
      for (const sentence of sentences) {
        const subject = await resolveSubject(ref, { text: sentence.text }, sessions);
        const e = await explainSubject(ref, subject, { methods: ['integrated-gradients'], target: String(positive) });
        const view = textView(subject, e.results[0]!)!;
        const probabilities = e.prediction!.probabilities[0]!;
        sentence.attributions.push({
          step: checkpoint.step,
          ...(checkpoint.metrics?.testAccuracy !== undefined ? { testAccuracy: checkpoint.metrics.testAccuracy } : {}),
          tokens: [...view.row.tokens],
          values: Array.from(view.row.values),
          wordIds: [...(view.row.wordIds ?? [])],
          ...(e.results[0]!.delta ? { delta: e.results[0]!.delta[0]! } : {}),
          positive: e.prediction!.classes[0] === positive ? probabilities : 1 - probabilities,
        });
      }
    } finally {
      await sessions.release();
    }
    done++;
  }

  // The training sentences give s, the per-dimension feature scale of each layer (Guan et al.).
  const samples = (dataset.train.texts ?? []).slice(0, 64);
  for (const checkpoint of measured) {
    options.onProgress?.('layer information', done, total);
    const ref = resolveModel(`${runId}:${checkpoint.step}`, store.dir);
    const layers = recipeLayers(ref.model.graph.valueNames());
    const text = await forText(ref.model, { tokenizer: WordVocabularyTokenizer.fromDataset(dataset) });
    try {
      for (const sentence of sentences.slice(0, options.informationSentences ?? 2)) {
        const result = await informationForText(text, sentence.text, { layers, samples, seed: 1 });
        const row: InformationRow = {
          step: checkpoint.step,
          tokens: result.tokens,
          layers: result.layers.map((l) => ({ name: l.layer, sigma: l.sigma, entropy: l.entropy })),
          seconds: result.seconds,
        };
        sentence.information.push(row);
        store.putAnalysis({ run: runId, step: checkpoint.step, kind: 'information', params: { text: sentence.text }, result: { tokens: row.tokens, layers: row.layers, scale: result.scale } });
      }
    } finally {
      await text.release();
    }
    done++;
  }
  return { runId, classes: dataset.classes, sentences };
}

/**
 * The per-token layers a Transformer recipe names, in depth order: its blocks and the final
 * norm. The pooled vector is left out: its objective has many optima (after the final
 * LayerNorm a word's effect on the mean saturates, so σ of a word is either small or at the
 * cap, and which words reach the cap depends on the random start: seeds 1 and 2 disagree on
 * most words), so its σ do not reproduce.
 */
export function recipeLayers(values: ReadonlySet<string>): string[] {
  const blocks: string[] = [];
  for (let i = 1; values.has(`layer${i}`); i++) blocks.push(`layer${i}`);
  return [...blocks, ...(values.has('encoded') ? ['encoded'] : [])];
}
