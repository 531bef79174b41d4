/**
 * One measured sentence as the reports, the JSON output and the run store keep it. The fields
 * `tokens` and `layers[].{name, sigma, entropy}` are the dashboard's contract for stored
 * analyses of kind 'information' (src/server/api-types.ts); the rest is added for reports.
 */
import type { TextInformation } from '../text.js';
import type { InformationResult } from '../types.js';

export interface InformationLayerRecord {
  name: string;
  /** σ per token (large: the layer has forgotten the token). */
  sigma: number[];
  /** H per token, (D/2)·log(2πe) + D·log σ. */
  entropy: number[];
  /** Mean over the tokens of log(σ / scale): 0 is the largest σ the measure allows. */
  meanLogSigma: number;
  /** Mean entropy over the tokens. */
  meanEntropy: number;
  steps: number;
  stopped: 'plateau' | 'steps';
  normalizer: string;
}

/** Where an image's units are: square patches of `patch` pixels, `across` × `down` of them, row by row. */
export interface ImageLayout {
  height: number;
  width: number;
  patch: number;
  across: number;
  down: number;
  /** The input as the model saw it, a PNG data URL, for viewers (the dashboard); kept with stored results. */
  picture?: string;
}

export interface InformationRecord {
  /** The model: a run's `<id>:<step>` or a file. */
  model: string;
  text: string;
  tokens: string[];
  wordIds: (number | null)[];
  /** The tensor noise was added to. */
  embedding: string;
  /** Words outside the tokenizer's vocabulary, read as its unknown token (when there were any). */
  unknownWords?: string[];
  /** For an image: its size and patches; `tokens` then name the patches 'row,col'. */
  image?: ImageLayout;
  /** The largest σ (σ_i = scale · sigmoid(r_i)). */
  scale: number;
  lambda: number;
  noiseSamples: number;
  layers: InformationLayerRecord[];
  /** Seconds of optimisation. */
  seconds: number;
}

/** What the units were: a text's tokens, or the positions of a tensor given as input. */
export type RecordSubject = Pick<TextInformation, 'text' | 'tokens' | 'wordIds' | 'embedding'> & Partial<Pick<TextInformation, 'unknownWords'>>;

/**
 * The record of a measure (σ at full precision; JSON readers round as they like). A text
 * measure (TextInformation) describes itself; for another input, say what its units were.
 */
export function informationRecord(model: string, result: InformationResult, subject: RecordSubject = result as TextInformation): InformationRecord {
  return {
    model,
    text: subject.text,
    tokens: subject.tokens,
    wordIds: subject.wordIds,
    embedding: subject.embedding,
    ...(subject.unknownWords?.length ? { unknownWords: subject.unknownWords } : {}),
    scale: result.scale,
    lambda: result.lambda,
    noiseSamples: result.noiseSamples,
    layers: result.layers.map((l) => ({
      name: l.layer,
      sigma: l.sigma,
      entropy: l.entropy,
      meanLogSigma: mean(l.sigma.map((s) => Math.log(s / result.scale))),
      meanEntropy: mean(l.entropy),
      steps: l.steps,
      stopped: l.stopped,
      normalizer: l.normalizer,
    })),
    seconds: result.seconds,
  };
}

/** log(σ / scale) of every token of a layer: the quantity the pictures colour (≤ 0). */
export function relativeLogSigma(record: Pick<InformationRecord, 'scale'>, layer: Pick<InformationLayerRecord, 'sigma'>): number[] {
  return layer.sigma.map((s) => Math.log(s / record.scale));
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
