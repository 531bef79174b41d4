/**
 * The reverse-sequence half: a Transformer encoder trained to output its input reversed (one
 * classification per position), measured as a whole layer and from each output position. The
 * paper's finding to check: output position j keeps the word it must copy (input n − 1 − j),
 * and information about input word i concentrates at the output position that needs it.
 */
import { forText } from '../../src/attribution/text/text-model.js';
import { WordVocabularyTokenizer } from '../../src/attribution/text/word-vocabulary.js';
import { exposePositions } from '../../src/analysis/information/positions.js';
import { meanError } from '../../src/analysis/information/profile.js';
import { relativeLogSigma, type InformationRecord } from '../../src/analysis/information/report/index.js';
import { measureText } from '../../src/analysis/information/request.js';
import type { TextSplit } from '../../src/data/text.js';
import { resolveModel } from '../../src/explain/model-ref.js';
import type { Estimate } from './sentiment.js';
import type { TrainedRun } from './runs.js';

export interface ReverseOptions {
  /** Test sequences measured (default 4) and their length (default 8). */
  sequences: number;
  length: number;
  /** Training sequences of the same length for s (default 100). */
  samples: number;
}

export interface PositionLayerStats {
  layer: string;
  /** Share of output positions whose best-kept input word is the one they copy (n − 1 − j). */
  sourceBest: number;
  /** … whose source word is among the two best kept (the position's own word rides the residual stream). */
  sourceTopTwo: number;
  /** Share of output positions whose best-kept word is their own input word j. */
  selfBest: number;
  /** Share of input words i kept best (over output positions) at position n − 1 − i, where they are needed. */
  concentratedWhereNeeded: number;
  /** Mean log(σ / scale) of the source word, of the position's own word, and of the other words. */
  source: Estimate;
  self: Estimate;
  other: Estimate;
}

export interface ReverseResult {
  run: TrainedRun;
  label: string;
  sequences: string[];
  /** Whole layers, one record per sequence. */
  records: InformationRecord[];
  /** Per sequence and layer: a record whose rows are the output positions ('<layer>@j'). */
  positions: { sequence: string; layer: string; record: InformationRecord }[];
  stats: PositionLayerStats[];
}

export const REVERSE_LAYERS = ['layer1', 'layer2', 'encoded', 'logits'];

export async function reverseStudy(storeDir: string, run: TrainedRun, o: ReverseOptions, log: (line: string) => void): Promise<ReverseResult> {
  const ref = resolveModel(run.run, storeDir);
  const dataset = ref.dataset!;
  const ofLength = (split: TextSplit, count: number) => [...split.texts.keys()].filter((i) => split.lengths[i] === o.length).slice(0, count).map((i) => split.texts[i]!);
  const sequences = ofLength(dataset.test as TextSplit, o.sequences);
  const samples = ofLength(dataset.train as TextSplit, o.samples);
  const tokenizer = WordVocabularyTokenizer.fromDataset(dataset);
  const positions = Array.from({ length: o.length }, (_, j) => j);
  const started = Date.now();
  const whole = await forText(ref.model, { tokenizer });
  const records: InformationRecord[] = [];
  try {
    for (const s of sequences) records.push(await measureText(whole, tokenizer, ref.label, s, { layers: REVERSE_LAYERS, samples }));
  } finally {
    await whole.release();
  }
  const exposed = exposePositions(ref.model, REVERSE_LAYERS, positions);
  const sliced = await forText(exposed.model, { tokenizer });
  const byPosition: ReverseResult['positions'] = [];
  try {
    for (const s of sequences) {
      const r = await measureText(sliced, tokenizer, ref.label, s, { layers: exposed.names.flat(), samples });
      REVERSE_LAYERS.forEach((layer, l) => {
        const rows = r.layers.slice(l * o.length, (l + 1) * o.length).map((row, j) => ({ ...row, name: `out ${j} (copies ${r.tokens[o.length - 1 - j]})` }));
        byPosition.push({ sequence: s, layer, record: { ...r, layers: rows } });
      });
    }
  } finally {
    await sliced.release();
  }
  log(`measured reverse (${ref.label}): ${sequences.length} sequences, ${REVERSE_LAYERS.length} layers whole and per output position, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { run, label: ref.label, sequences, records, positions: byPosition, stats: REVERSE_LAYERS.map((layer) => positionStats(layer, byPosition.filter((p) => p.layer === layer).map((p) => p.record))) };
}

/** The per-position statistics of one layer over the measured sequences (rows: output positions j; columns: input words i). */
export function positionStats(layer: string, records: readonly InformationRecord[]): PositionLayerStats {
  let sourceBest = 0;
  let sourceTopTwo = 0;
  let selfBest = 0;
  let concentrated = 0;
  let rows = 0;
  let words = 0;
  const source: number[] = [];
  const self: number[] = [];
  const other: number[] = [];
  for (const record of records) {
    const n = record.tokens.length;
    const grid = record.layers.map((row) => relativeLogSigma(record, row));
    grid.forEach((v, j) => {
      const order = [...v.keys()].sort((a, b) => v[a]! - v[b]!);
      const src = n - 1 - j;
      rows++;
      if (order[0] === src) sourceBest++;
      if (order.indexOf(src) < 2) sourceTopTwo++;
      if (order[0] === j) selfBest++;
      source.push(v[src]!);
      if (j !== src) self.push(v[j]!);
      v.forEach((x, i) => { if (i !== src && i !== j) other.push(x); });
    });
    for (let i = 0; i < n; i++) {
      // Leave out the word's own position: the residual stream keeps it there whatever the task.
      const column = grid.map((v, j) => (j === i ? Infinity : v[i]!));
      words++;
      if (column.indexOf(Math.min(...column)) === n - 1 - i) concentrated++;
    }
  }
  return {
    layer,
    sourceBest: sourceBest / rows,
    sourceTopTwo: sourceTopTwo / rows,
    selfBest: selfBest / rows,
    concentratedWhereNeeded: concentrated / words,
    source: meanError(source),
    self: meanError(self),
    other: meanError(other),
  };
}
