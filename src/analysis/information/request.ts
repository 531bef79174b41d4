/**
 * The measure as the CLI and the study ask for it: a model, a sentence (with its tokenizer) or
 * a tensor laid out [1, seq, D], the layers by name or `all`; the answer is a record ready for
 * the reports, the JSON output and the run store.
 */
import { Explainable } from '../../attribution/explainable.js';
import { findEmbeddingCut } from '../../attribution/text/embedding-cut.js';
import { forText, TextModel } from '../../attribution/text/text-model.js';
import type { TextTokenizer } from '../../attribution/text/tokenizer.js';
import type { Model } from '../../onnx/ir/model.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { RuntimeOptions } from '../../runtime/options.js';
import { dtypeFromOnnx, isFloat } from '../../tensor/dtype.js';
import { GlassboxError } from '../../util/errors.js';
import { chooseLayers } from './layers.js';
import { InformationMeasure } from './measure.js';
import { embeddingTable } from './scale.js';
import { informationRecord, type InformationRecord } from './report/record.js';
import { informationForText } from './text.js';
import type { InformationOptions } from './types.js';

export interface MeasureRequest extends Pick<InformationOptions, 'steps' | 'noiseSamples' | 'seed' | 'lambda' | 'onProgress'> {
  /** 'all' or layer names (see layers.ts). */
  layers: string | readonly string[];
  /** The tensor noise is added to, when the model's own cut point is not the one wanted (or not found). */
  embedding?: string;
  runtime?: RuntimeOptions;
  /** Told how `all` was resolved when that is worth saying (a cap, a heuristic). */
  onNote?: (note: string) => void;
}

export interface TextRequest extends MeasureRequest {
  /** Sentences (of the model's dataset) for s, the per-dimension std of each layer over them. */
  samples?: readonly string[];
}

/** σ of every token of `sentence` in every chosen layer of a text model. */
export async function measureText(model: Model | TextModel, tokenizer: TextTokenizer, label: string, sentence: string, request: TextRequest): Promise<InformationRecord> {
  const text = model instanceof TextModel ? model : await forText(model, {
    tokenizer,
    ...(request.embedding !== undefined ? { embedding: request.embedding } : {}),
    ...(request.runtime ? { runtime: request.runtime } : {}),
  });
  try {
    const choice = chooseLayers(text.explainable.full, text.embedding, request.layers);
    if (choice.note) request.onNote?.(choice.note);
    const result = await informationForText(text, sentence, {
      ...measureOptions(request),
      layers: choice.layers,
      ...(request.samples?.length ? { samples: request.samples } : {}),
      ...(request.runtime ? { runtime: request.runtime } : {}),
    });
    return informationRecord(label, result);
  } finally {
    if (!(model instanceof TextModel)) await text.release();
  }
}

/**
 * σ per position of a tensor [1, seq, D]: the model's float input when that is already the
 * embedding tensor, else the embeddings computed from the given token ids (the cut point found
 * as for text, or named by `embedding`).
 */
export async function measureTensor(model: Model, feeds: Feeds, label: string, request: MeasureRequest & { source?: string }): Promise<InformationRecord> {
  const explainable = await Explainable.create(model, { input: noisedTensor(model, request.embedding), ...(request.runtime ? { runtime: request.runtime } : {}) });
  try {
    const input = explainable.input;
    const x = await explainable.inputFrom(feeds);
    if (x.rank !== 3 || x.shape[0] !== 1) {
      throw new GlassboxError('bad-input', `--input measures one sequence [1, seq, D], a σ per position; "${input}" is [${x.shape.join(', ')}] (for images use InformationMeasure with unitsPerPixel or unitsPerPatch)`);
    }
    const choice = chooseLayers(explainable.full, input, request.layers);
    if (choice.note) request.onNote?.(choice.note);
    const measure = await InformationMeasure.create(explainable.full, { input, layers: choice.layers, ...(request.runtime ? { runtime: request.runtime } : {}) });
    try {
      const reads = new Set(measure.cut.graph.feedInputs.map((i) => i.name));
      const extra = Object.fromEntries(Object.entries(feeds).filter(([name]) => name !== input && reads.has(name)));
      const missing = [...reads].filter((name) => name !== input && !extra[name]);
      if (missing.length) throw new GlassboxError('bad-input', `the layers also read input "${missing[0]}"; give it as --input ${missing[0]}=file.json`);
      // Token ids in: the scale comes from the embedding table, as for a sentence.
      const ids = model.graph.feedInputs.find((i) => i.name !== input && feeds[i.name] && !isFloat(dtypeFromOnnx(i.elemType ?? 0) ?? 'float32'));
      const table = ids && !feeds[input] ? embeddingTable(explainable.full, ids.name) : undefined;
      const result = await measure.measure({ embeddings: x, extra }, { ...measureOptions(request), ...(table ? { embeddingTable: table } : {}) });
      const seq = x.shape[1]!;
      return informationRecord(label, result, {
        text: request.source ?? `a tensor [${x.shape.join(', ')}]`,
        tokens: Array.from({ length: seq }, (_, i) => `#${i}`),
        wordIds: Array.from({ length: seq }, (_, i) => i),
        embedding: input,
      });
    } finally {
      await measure.release();
    }
  } finally {
    await explainable.release();
  }
}

/** Where noise goes for a tensor input: the named tensor, the only float input, or the embedding cut of a token-id model. */
function noisedTensor(model: Model, embedding: string | undefined): string {
  if (embedding !== undefined) return embedding;
  const floats = model.graph.feedInputs.filter((i) => i.elemType !== undefined && isFloat(dtypeFromOnnx(i.elemType) ?? 'int64'));
  if (floats.length === 1) return floats[0]!.name;
  if (floats.length > 1) throw new GlassboxError('bad-option', `the model has several float inputs (${floats.map((i) => `"${i.name}"`).join(', ')}); say which one gets the noise with --embedding <name>`);
  return findEmbeddingCut(model).tensor;
}

/** The optimisation settings of a request, as InformationMeasure.measure takes them. */
export function measureOptions(r: MeasureRequest): Pick<InformationOptions, 'steps' | 'noiseSamples' | 'seed' | 'lambda' | 'onProgress'> {
  return {
    ...(r.steps !== undefined ? { steps: r.steps } : {}),
    ...(r.noiseSamples !== undefined ? { noiseSamples: r.noiseSamples } : {}),
    ...(r.seed !== undefined ? { seed: r.seed } : {}),
    ...(r.lambda !== undefined ? { lambda: r.lambda } : {}),
    ...(r.onProgress ? { onProgress: r.onProgress } : {}),
  };
}
