/**
 * The measure on a sentence: the text model's embedding cut (TextModel finds it), one unit per
 * token read from the text — padding a fixed-length model needs gets no noise — and the default
 * scale from the model's token embedding table.
 *
 * Padding is cut off when the model allows it (a symbolic sequence dim): the reference measures
 * sentences at their own length, and the features a layer computes at padded positions (which
 * the model masks out downstream) would otherwise count in Φ and in s. Sample sentences are
 * trimmed alike, so their lengths differ and s is the std over samples of the position-averaged
 * features — the reference's calculate_regularization with reduced_axes = [the length axis].
 * A model with a fixed length keeps its padding: those positions get no noise, but stay in Φ.
 *
 * σ is reported per token, with the tokens and their word ids. It is not merged into words:
 * the σ of a word split into several tokens is not a function of its tokens' σ (each was
 * optimised as a separate unit against the same budget), and a sum of entropies would assume
 * the tokens independent. A caller wanting one unit per word gives a unit map that sends a
 * word's tokens to the same unit (see units.ts).
 */
import type { Model } from '../../onnx/ir/model.js';
import { TextModel, forText, type EncodedText } from '../../attribution/text/text-model.js';
import { Tensor } from '../../tensor/tensor.js';
import type { TextTokenizer } from '../../attribution/text/tokenizer.js';
import type { RuntimeOptions } from '../../runtime/options.js';
import { InformationMeasure } from './measure.js';
import { embeddingTable } from './scale.js';
import type { InformationInput, InformationOptions, InformationResult } from './types.js';
import { unitsPerPosition } from './units.js';

export interface TextInformationOptions extends Omit<InformationOptions, 'samples' | 'units'> {
  layers: readonly string[];
  /** Sample sentences (from the dataset) for s, the per-dimension std of each layer over them. */
  samples?: readonly string[];
  batchLayers?: boolean;
  /** For a bare model: its embedding tensor when it cannot be found (see embedding-cut.ts). */
  embedding?: string;
  runtime?: RuntimeOptions;
}

export interface TextInformation extends InformationResult {
  text: string;
  /** The tokens σ is given for (what the tokenizer read from the text, added special tokens included). */
  tokens: string[];
  /** Word index of each token in the text, null for added special tokens. */
  wordIds: (number | null)[];
  /** The tensor noise was added to. */
  embedding: string;
  /** Words of the text outside the tokenizer's vocabulary, read as its unknown token. */
  unknownWords: string[];
}

export async function informationForText(source: TextModel | { model: Model; tokenizer: TextTokenizer }, sentence: string, options: TextInformationOptions): Promise<TextInformation> {
  const text = source instanceof TextModel
    ? source
    : await forText(source.model, { tokenizer: source.tokenizer, ...(options.embedding !== undefined ? { embedding: options.embedding } : {}), ...(options.runtime ? { runtime: options.runtime } : {}) });
  try {
    const measure = await InformationMeasure.create(text.explainable.full, {
      input: text.embedding,
      layers: options.layers,
      ...(options.batchLayers !== undefined ? { batchLayers: options.batchLayers } : {}),
      ...(options.runtime ? { runtime: options.runtime } : {}),
    });
    try {
      const variable = typeof text.explainable.full.graph.feedInputs.find((i) => i.name === text.cut.idsInput)?.shape?.[1] !== 'number';
      const encoded = await text.encode(sentence);
      const input = variable ? unpadded(encoded) : { embeddings: encoded.embeddings, extra: encoded.extra };
      const samples: InformationInput[] = [];
      for (const s of options.samples ?? []) {
        const e = await text.encode(s);
        samples.push(variable ? unpadded(e) : { embeddings: e.embeddings, extra: e.extra });
      }
      const table = options.embeddingTable ?? embeddingTable(text.explainable.full, text.cut.idsInput);
      const { layers: _layers, samples: _samples, batchLayers: _batch, embedding: _embedding, runtime: _runtime, ...measureOptions } = options;
      const result = await measure.measure(input, {
        ...measureOptions,
        ...(table ? { embeddingTable: table } : {}),
        ...(samples.length ? { samples } : {}),
        units: unitsPerPosition(input.embeddings.shape, encoded.length),
      });
      const { tokens, wordIds } = encoded.encoding;
      return { ...result, text: sentence, tokens: tokens.slice(0, encoded.length), wordIds: wordIds.slice(0, encoded.length), embedding: text.embedding, unknownWords: encoded.unknown };
    } finally {
      await measure.release();
    }
  } finally {
    if (!(source instanceof TextModel)) await text.release();
  }
}

/**
 * The text without its padding: the first `length` positions of the embeddings and of every
 * extra input laid out [1, seq, ...] (token ids for the mask). Inputs with another layout keep
 * the whole encoding padded.
 */
function unpadded(encoded: EncodedText): InformationInput {
  const seq = encoded.embeddings.shape[1]!;
  const { length } = encoded;
  const prefix = (t: Tensor): Tensor => {
    const row = t.size / seq;
    return new Tensor(t.dtype, [1, length, ...t.shape.slice(2)], (t.data as Float32Array).slice(0, length * row) as Tensor['data']);
  };
  const sliceable = (t: Tensor) => t.rank >= 2 && t.shape[0] === 1 && t.shape[1] === seq;
  if (length === seq || !Object.values(encoded.extra).every(sliceable)) return { embeddings: encoded.embeddings, extra: encoded.extra };
  return { embeddings: prefix(encoded.embeddings), extra: Object.fromEntries(Object.entries(encoded.extra).map(([k, t]) => [k, prefix(t)])) };
}
