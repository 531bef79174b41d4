/**
 * The sentiment half of the study: the same test sentences through every layer of each model,
 * then the paper's claims checked on the numbers.
 */
import { forText } from '../../src/attribution/text/text-model.js';
import { WordVocabularyTokenizer } from '../../src/attribution/text/word-vocabulary.js';
import { measureText } from '../../src/analysis/information/request.js';
import { adjacentCorrelation, keptAuc, keptGap, meanError, neighbourEffect } from '../../src/analysis/information/profile.js';
import { relativeLogSigma, type InformationRecord } from '../../src/analysis/information/report/index.js';
import { tokenize } from '../../src/data/tokenizer.js';
import { resolveModel, trainingTexts } from '../../src/explain/model-ref.js';
import type { Dataset } from '../../src/train/types.js';
import type { Lexicon } from './lexicon.js';
import type { TrainedRun } from './runs.js';

export interface Sentence {
  /** Index in the sentiment test split. */
  index: number;
  text: string;
  tokens: string[];
  /** Whether each token is a task word (rated by the lexicon). */
  task: boolean[];
}

/**
 * Test sentences that can say something about task words: 8–20 tokens, every token in the
 * training vocabulary (an [UNK] is no word of its own), at least one task word and three other
 * words. The first `count` in the split's order, so the choice is fixed by the data.
 */
export function chooseSentences(dataset: Dataset, lexicon: Lexicon, count: number): Sentence[] {
  const vocabulary = new Set(dataset.vocabulary);
  const out: Sentence[] = [];
  for (const [index, text] of (dataset.test.texts ?? []).entries()) {
    const tokens = tokenize(text);
    const task = tokens.map((t) => lexicon.ratings.has(t));
    const taskWords = task.filter(Boolean).length;
    if (tokens.length < 8 || tokens.length > 20 || !tokens.every((t) => vocabulary.has(t))) continue;
    if (taskWords < 1 || tokens.length - taskWords < 3) continue;
    out.push({ index, text, tokens, task });
    if (out.length === count) break;
  }
  return out;
}

export interface ModelMeasures {
  run: TrainedRun;
  /** The checkpoint measured, `<run>:<step>`. */
  label: string;
  /** One record per sentence, in the order of the sentences. */
  records: InformationRecord[];
}

export async function measureModels(storeDir: string, runs: readonly TrainedRun[], sentences: readonly Sentence[], samples: number, log: (line: string) => void): Promise<ModelMeasures[]> {
  const out: ModelMeasures[] = [];
  for (const run of runs) {
    const ref = resolveModel(run.run, storeDir);
    const dataset = ref.dataset!;
    const tokenizer = WordVocabularyTokenizer.fromDataset(dataset);
    const sampled = trainingTexts(ref, samples);
    const text = await forText(ref.model, { tokenizer });
    const started = Date.now();
    try {
      const records: InformationRecord[] = [];
      for (const s of sentences) records.push(await measureText(text, tokenizer, ref.label, s.text, { layers: 'all', samples: sampled }));
      out.push({ run, label: ref.label, records });
    } finally {
      await text.release();
    }
    log(`measured ${run.role} (${ref.label}): ${sentences.length} sentences × ${out.at(-1)!.records[0]!.layers.length} layers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return out;
}

export interface Estimate {
  mean: number;
  error: number;
  n: number;
}

export interface LayerStats {
  layer: string;
  /** Mean log(σ / scale) over a sentence's words, then over sentences. */
  meanLogSigma: Estimate;
  meanEntropy: Estimate;
  /** P(task word kept better than another word), per sentence. */
  auc: Estimate;
  /** Mean log σ of other words − of task words, per sentence. */
  gap: Estimate;
  /** Lag-1 correlation of log σ between adjacent words, per sentence. */
  adjacency: Estimate;
  /** The same pooled over all sentences (each centred first). */
  adjacencyPooled: number;
  /** Mean log σ of other words far from − next to task words, per sentence. */
  neighbour: Estimate;
}

export interface ModelStats {
  role: string;
  title: string;
  label: string;
  testAccuracy: number;
  layers: LayerStats[];
  /** Last layer − first layer mean log(σ / scale), per sentence (information falls: > 0). */
  fall: Estimate;
  /** Each step between consecutive layers, per sentence. */
  steps: { from: string; to: string; change: Estimate }[];
}

export function modelStats(m: ModelMeasures, sentences: readonly Sentence[]): ModelStats {
  const names = m.records[0]!.layers.map((l) => l.name);
  const perSentence = (layer: number, f: (logSigma: number[], s: Sentence) => number) =>
    m.records.map((r, k) => f(relativeLogSigma(r, r.layers[layer]!), sentences[k]!));
  const layers = names.map((layer, i): LayerStats => ({
    layer,
    meanLogSigma: meanError(m.records.map((r) => r.layers[i]!.meanLogSigma)),
    meanEntropy: meanError(m.records.map((r) => r.layers[i]!.meanEntropy)),
    auc: meanError(perSentence(i, (v, s) => keptAuc(v, s.task))),
    gap: meanError(perSentence(i, (v, s) => keptGap(v, s.task))),
    adjacency: meanError(perSentence(i, (v) => adjacentCorrelation([v]))),
    adjacencyPooled: adjacentCorrelation(m.records.map((r) => relativeLogSigma(r, r.layers[i]!))),
    neighbour: meanError(perSentence(i, (v, s) => neighbourEffect(v, s.task))),
  }));
  const change = (a: number, b: number) => meanError(m.records.map((r) => r.layers[b]!.meanLogSigma - r.layers[a]!.meanLogSigma));
  return {
    role: m.run.role,
    title: m.run.title,
    label: m.label,
    testAccuracy: m.run.testAccuracy,
    layers,
    fall: change(0, names.length - 1),
    steps: names.slice(1).map((to, i) => ({ from: names[i]!, to, change: change(i, i + 1) })),
  };
}

/** Per sentence, model a's value minus model b's at their top layers (paired: same sentences). */
export function pairedTop(a: ModelMeasures, b: ModelMeasures, sentences: readonly Sentence[], f: (logSigma: number[], s: Sentence) => number): Estimate {
  const top = (m: ModelMeasures, k: number) => f(relativeLogSigma(m.records[k]!, m.records[k]!.layers.at(-1)!), sentences[k]!);
  return meanError(sentences.map((_, k) => top(a, k) - top(b, k)));
}

export const AUC = (v: number[], s: Sentence) => keptAuc(v, s.task);
export const ADJACENCY = (v: number[]) => adjacentCorrelation([v]);
