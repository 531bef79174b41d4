/**
 * What `glassbox attribute` explains: the model as an Explainable, the attributed tensor for the
 * user's input (a tensor file, an image, a sentence, or an example of a run's dataset), the
 * extra feeds it needs, and what the pictures need (tokens, the image).
 */
import { isFloat, dtypeFromOnnx } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Feeds } from '../runtime/feeds.js';
import type { RuntimeOptions } from '../runtime/options.js';
import { Explainable } from '../attribution/explainable.js';
import { findEmbeddingCut } from '../attribution/text/embedding-cut.js';
import { HfTokenizer } from '../attribution/text/hf-tokenizer.js';
import { forText, type EncodedText, type TextModel } from '../attribution/text/text-model.js';
import type { TextTokenizer } from '../attribution/text/tokenizer.js';
import { WordVocabularyTokenizer } from '../attribution/text/word-vocabulary.js';
import { readImageFile } from '../data/image-file.js';
import type { Dataset } from '../train/types.js';
import { GlassboxError } from '../util/errors.js';
import type { ModelRef } from './model-ref.js';
import { feedsFromArgs } from '../runtime/feed-files.js';

export interface SubjectRequest {
  /** Tensor files as `[name=]file.json` (or inline JSON), as the CLI's --input takes them. */
  input?: string[];
  /** Tensors by model input name. */
  feeds?: Feeds;
  /** An image file: its path or its bytes. */
  image?: string | Uint8Array;
  text?: string;
  example?: number;
  tokenizer?: string;
  /** The tensor to attribute to instead of the model's float input (an embedding output). */
  embedding?: string;
  output?: string;
  memoryBudget?: number;
  runtime?: RuntimeOptions;
}

export interface Subject {
  explainable: Explainable;
  /** The attributed tensor. */
  input: Tensor;
  /** What a run needs besides it (token ids for a padding mask). */
  extra: Feeds;
  /** Where the input came from, for messages and captions. */
  source: string;
  /** Class names when the model comes with a dataset. */
  classes?: readonly string[];
  /** The dataset's label of an --example. */
  label?: number;
  text?: { model: TextModel; encoded: EncodedText };
  /** The input as a picture ([1, C, H, W] with C 1 or 3), when it is one. */
  image?: Tensor;
  release(): Promise<void>;
}

/**
 * The sessions subjects build (a text model, an Explainable), kept for later inputs to the same
 * model with the same request options: a server explains one checkpoint many times without
 * rebuilding its gradient graphs. Subjects resolved with it leave releasing to its owner.
 */
export class SubjectSessions {
  private text?: Promise<TextModel>;
  private tensor?: Promise<Explainable>;

  textModel(create: () => Promise<TextModel>): Promise<TextModel> {
    return (this.text ??= this.kept(create(), () => this.text, () => { this.text = undefined; }));
  }

  explainable(create: () => Promise<Explainable>): Promise<Explainable> {
    return (this.tensor ??= this.kept(create(), () => this.tensor, () => { this.tensor = undefined; }));
  }

  async release(): Promise<void> {
    const [text, tensor] = [this.text, this.tensor];
    this.text = this.tensor = undefined;
    await Promise.allSettled([text?.then((m) => m.release()), tensor?.then((e) => e.release())]);
  }

  /** A model that failed to build is not kept: the next request tries again. */
  private kept<T>(made: Promise<T>, current: () => Promise<T> | undefined, forget: () => void): Promise<T> {
    made.catch(() => { if (current() === made) forget(); });
    return made;
  }
}

export async function resolveSubject(ref: ModelRef, request: SubjectRequest, sessions?: SubjectSessions): Promise<Subject> {
  const given = [(request.input || request.feeds) && 'an --input', request.image && 'an --image', request.text !== undefined && 'a --text', request.example !== undefined && 'an --example'].filter(Boolean);
  if (given.length === 0) throw new GlassboxError('bad-option', 'say what to explain: --input <tensor.json>, --image <file>, --text "..." or --example <i> (for a run from the store)');
  if (given.length > 1) throw new GlassboxError('bad-option', `give one input, not ${given.join(' and ')}`);
  const { dataset } = ref;
  const classes = dataset ? { classes: dataset.classes } : {};
  if (request.example !== undefined) {
    if (!dataset) throw new GlassboxError('bad-option', `--example picks a test example of a run's dataset; ${ref.label} is a file (give --input, --image or --text)`);
    const split = dataset.test;
    if (request.example >= split.size) throw new GlassboxError('bad-option', `--example ${request.example} is out of range: ${dataset.name}'s test split has ${split.size} examples (0..${split.size - 1})`);
    const label = split.labels[request.example]!;
    const source = `test example ${request.example} of ${dataset.name} (label: ${dataset.classes[label] ?? label})`;
    if (dataset.kind === 'tokens') {
      const text = split.texts?.[request.example];
      if (text === undefined) throw new GlassboxError('bad-input', `${dataset.name} keeps no sentences to show`);
      return { ...(await textSubject(ref, { ...request, text }, source, sessions)), label };
    }
    const input = split.inputs([request.example]);
    return { ...(await tensorSubject(ref, request, { [firstFloatInput(ref)]: input }, source, sessions)), label };
  }
  if (request.text !== undefined) return textSubject(ref, request, JSON.stringify(request.text), sessions);
  if (request.image) {
    if (!ref.model.graph.feedInputs.some((i) => i.elemType !== undefined && isFloat(dtypeFromOnnx(i.elemType) ?? 'int64'))) {
      throw new GlassboxError('bad-input', `--image needs a model reading images [batch, 1 or 3, height, width]; ${ref.label} reads only integer inputs (token ids: give --text)`);
    }
    const inputName = firstFloatInput(ref);
    const shape = ref.model.graph.feedInputs.find((i) => i.name === inputName)?.shape ?? [];
    const [, c, h, w] = shape;
    if (shape.length !== 4 || (c !== 1 && c !== 3) || typeof h !== 'number' || typeof w !== 'number') {
      throw new GlassboxError('bad-input', `--image needs a model reading images [batch, 1 or 3, height, width]; input "${inputName}" is [${shape.join(', ')}]`);
    }
    const image = await readImageFile(request.image, { channels: c, height: h, width: w });
    return { ...(await tensorSubject(ref, request, { [inputName]: image }, typeof request.image === 'string' ? request.image : 'the uploaded image', sessions)), ...classes };
  }
  const feeds = request.feeds ?? feedsFromArgs(request.input!, ref.model.graph.feedInputs);
  return { ...(await tensorSubject(ref, request, feeds, request.input ? request.input.join(' ') : 'the given tensors', sessions)), ...classes };
}

async function textSubject(ref: ModelRef, request: SubjectRequest, source: string, sessions?: SubjectSessions): Promise<Subject> {
  const tokenizer = await tokenizerFor(ref.dataset, request.tokenizer);
  const create = () => forText(ref.model, {
    tokenizer,
    ...(request.embedding !== undefined ? { embedding: request.embedding } : {}),
    ...(request.output !== undefined ? { output: request.output } : {}),
    ...(request.memoryBudget !== undefined ? { memoryBudget: request.memoryBudget } : {}),
    runtime: request.runtime ?? {},
  });
  const model = sessions ? await sessions.textModel(create) : await create();
  const release = sessions ? async () => {} : () => model.release();
  try {
    const encoded = await model.encode(request.text!);
    return {
      explainable: model.explainable,
      input: encoded.embeddings,
      extra: encoded.extra,
      source,
      ...(ref.dataset ? { classes: ref.dataset.classes } : {}),
      text: { model, encoded },
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}

async function tokenizerFor(dataset: Dataset | undefined, file: string | undefined): Promise<TextTokenizer> {
  if (file) return HfTokenizer.fromFile(file);
  if (dataset?.kind === 'tokens') return WordVocabularyTokenizer.fromDataset(dataset);
  throw new GlassboxError('bad-option', '--text needs the model\'s tokenizer: --tokenizer <tokenizer.json>, or give a run from the store (its vocabulary comes with it)');
}

/** A model fed tensors: attributed at its float input, or at the embedding output when it reads token ids only. */
async function tensorSubject(ref: ModelRef, request: SubjectRequest, feeds: Feeds, source: string, sessions?: SubjectSessions): Promise<Subject> {
  const hasFloatInput = ref.model.graph.feedInputs.some((i) => i.elemType !== undefined && isFloat(dtypeFromOnnx(i.elemType) ?? 'int64'));
  const attributeTo = request.embedding ?? (hasFloatInput ? undefined : findEmbeddingCut(ref.model).tensor);
  const create = () => Explainable.create(ref.model, {
    ...(attributeTo !== undefined ? { input: attributeTo } : {}),
    ...(request.output !== undefined ? { output: request.output } : {}),
    ...(request.memoryBudget !== undefined ? { memoryBudget: request.memoryBudget } : {}),
    runtime: request.runtime ?? {},
  });
  const explainable = sessions ? await sessions.explainable(create) : await create();
  const release = sessions ? async () => {} : () => explainable.release();
  try {
    const input = await explainable.inputFrom(feeds);
    const extra: Feeds = {};
    for (const name of explainable.extraInputs) {
      if (!feeds[name]) throw new GlassboxError('bad-input', `the model also reads input "${name}"; give it as --input ${name}=file.json`);
      extra[name] = feeds[name];
    }
    const isImage = input.rank === 4 && (input.shape[1] === 1 || input.shape[1] === 3) && explainable.input in feeds;
    return { explainable, input, extra, source, ...(isImage ? { image: input } : {}), release };
  } catch (error) {
    await release();
    throw error;
  }
}

function firstFloatInput(ref: ModelRef): string {
  const floats = ref.model.graph.feedInputs.filter((i) => i.elemType !== undefined && isFloat(dtypeFromOnnx(i.elemType) ?? 'int64'));
  if (floats.length !== 1) throw new GlassboxError('bad-input', `the model has ${floats.length} float inputs; give the input as a tensor with --input name=file.json`);
  return floats[0]!.name;
}
