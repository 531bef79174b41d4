/**
 * A text classifier as attribution methods see it: an Explainable cut at the model's embedding
 * output (methods attribute to the embedding vectors), with its tokenizer, so that a text becomes
 * the feeds, embeddings and baselines the methods take, and their results become one value per
 * token and per word.
 *
 *   const text = await forText(model, { tokenizer });
 *   const x = await text.encode('a quietly devastating film');
 *   const ig = new IntegratedGradients(text.explainable);
 *   const { attributions } = await ig.attribute(x.embeddings, {
 *     target: 1, baselines: await text.baselineEmbeddings(x), additionalForwardArgs: x.extra });
 *   text.words(text.perToken(attributions, x), x);
 */
import type { Model } from '../../onnx/ir/model.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { RuntimeOptions } from '../../runtime/options.js';
import { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import { Explainable } from '../explainable.js';
import { findEmbeddingCut, type EmbeddingCut } from './embedding-cut.js';
import { mergeWords, normalizeL2, tokenSums, type WordAttribution } from './merge.js';
import { unknownWords, type TextEncoding, type TextTokenizer } from './tokenizer.js';

export interface TextModelOptions {
  tokenizer: TextTokenizer;
  /**
   * The embedding tensor to attribute to. Default: 'embeddings' (the recipes trained here),
   * else the token lookup plus the position/token-type embeddings added to it (see
   * embedding-cut.ts for the heuristic).
   */
  embedding?: string;
  /** The most tokens per text, special tokens included (default: what the model and tokenizer allow). */
  maxLength?: number;
  /** The graph input carrying token ids (default 'input_ids', else the only integer input). */
  inputName?: string;
  /** The output to explain (default: the first). */
  output?: string;
  memoryBudget?: number;
  runtime?: RuntimeOptions;
}

/** A text ready for attribution. */
export interface EncodedText {
  text: string;
  /** Its tokens, unpadded. */
  encoding: TextEncoding;
  /** Tokens read from the text and added around it; positions from here on are padding. */
  length: number;
  /** int64 [1, seq]: the ids, padded with the tokenizer's PAD id when the model needs a fixed length. */
  ids: Tensor;
  /** [1, seq, d]: the attributed input. */
  embeddings: Tensor;
  /** What the cut model reads besides the embeddings (token ids for its padding mask, say): a method's additionalForwardArgs. */
  extra: Feeds;
  /** Every input of the whole model for this text. */
  feeds: Feeds;
  /** Words of the text outside the tokenizer's vocabulary, read as its unknown token. */
  unknown: string[];
}

/** The baseline token: the tokenizer's PAD or MASK, or an id. */
export type BaselineToken = 'pad' | 'mask' | number;

/** How TextModel fills a model input besides the token ids. */
type AuxKind = 'mask' | 'zeros' | 'positions';

export class TextModel {
  private constructor(
    readonly explainable: Explainable,
    readonly tokenizer: TextTokenizer,
    readonly cut: EmbeddingCut,
    /** Texts are truncated to this many tokens. */
    readonly maxLength: number | undefined,
    /** Ids are padded to this length (a fixed sequence dimension, or the tokenizer's). */
    readonly padTo: number | undefined,
    private readonly aux: readonly { name: string; kind: AuxKind; elemType: number }[],
  ) {}

  static async create(model: Model, options: TextModelOptions): Promise<TextModel> {
    const { tokenizer } = options;
    const cut = findEmbeddingCut(model, { ...(options.embedding !== undefined ? { embedding: options.embedding } : {}), ...(options.inputName !== undefined ? { inputName: options.inputName } : {}) });
    if (cut.vocabularySize !== undefined && tokenizer.vocabularySize > cut.vocabularySize) {
      throw new GlassboxError('bad-input', `the tokenizer has ${tokenizer.vocabularySize} tokens but the model's embedding table only ${cut.vocabularySize} rows: they do not belong together`);
    }
    const inputs = model.graph.feedInputs;
    const seqDim = inputs.find((i) => i.name === cut.idsInput)?.shape?.[1];
    const fixed = typeof seqDim === 'number' && seqDim > 0 ? seqDim : undefined;
    const hard = Math.min(fixed ?? Infinity, cut.maxPositions ?? Infinity);
    if (options.maxLength !== undefined && !(Number.isInteger(options.maxLength) && options.maxLength > 0)) throw new GlassboxError('bad-option', `maxLength must be a positive integer, got ${options.maxLength}`);
    if (options.maxLength !== undefined && options.maxLength > hard) {
      throw new GlassboxError('bad-option', `maxLength ${options.maxLength} is more than the model reads (${hard} tokens${fixed !== undefined ? ': its input is fixed at that length' : ': the rows of its position table'})`);
    }
    const limits = [options.maxLength ?? hard, tokenizer.sequenceLength ?? Infinity].filter((n) => Number.isFinite(n));
    const maxLength = limits.length ? Math.min(...limits) : undefined;
    const padTo = fixed ?? (tokenizer.sequenceLength !== undefined ? Math.min(tokenizer.sequenceLength, maxLength ?? Infinity) : undefined);
    const aux = inputs
      .filter((i) => i.name !== cut.idsInput)
      .map((i) => {
        const kind: AuxKind | undefined = /mask/i.test(i.name) ? 'mask' : /type|segment/i.test(i.name) ? 'zeros' : /position/i.test(i.name) ? 'positions' : undefined;
        if (!kind) throw new GlassboxError('bad-input', `the model also reads input "${i.name}"; TextModel fills token ids, attention masks, token type ids and position ids only`);
        return { name: i.name, kind, elemType: i.elemType ?? 7 };
      });
    const explainable = await Explainable.create(model, {
      input: cut.tensor,
      ...(options.output !== undefined ? { output: options.output } : {}),
      ...(options.memoryBudget !== undefined ? { memoryBudget: options.memoryBudget } : {}),
      ...(options.runtime !== undefined ? { runtime: options.runtime } : {}),
    });
    return new TextModel(explainable, tokenizer, cut, maxLength, padTo, aux);
  }

  /** The attributed tensor's name. */
  get embedding(): string {
    return this.cut.tensor;
  }

  /** Tokenizes a text, pads it to what the model needs and computes its embeddings. */
  async encode(text: string): Promise<EncodedText> {
    const encoding = await this.tokenizer.encode(text, this.maxLength !== undefined ? { maxLength: this.maxLength } : {});
    const length = encoding.ids.length;
    if (length === 0) throw new GlassboxError('bad-input', `the text ${JSON.stringify(text.slice(0, 40))} has no tokens to attribute to`);
    const seq = Math.max(length, this.padTo ?? 0);
    const padId = seq > length ? this.requirePad('pad the text to the model\'s length') : 0;
    const ids = Tensor.int64([1, seq], [...encoding.ids, ...new Array<number>(seq - length).fill(padId)]);
    const feeds = this.feedsFor(ids, Array.from({ length: seq }, (_, p) => p < length));
    const embeddings = await this.explainable.inputFrom(feeds);
    return { text, encoding, length, ids, embeddings, extra: this.extraFrom(feeds), feeds, unknown: unknownWords(text, encoding, this.tokenizer) };
  }

  /**
   * Baseline embeddings for IG and its relatives: the embeddings of the same sequence with every
   * token read from the text replaced by the baseline token (PAD by default), computed by the
   * model's own embedding part — so position (and token-type) embeddings stay, as in Captum's
   * BERT tutorials, which build the reference as [CLS] + PAD… + [SEP]. The tokens the tokenizer
   * added ([CLS], [SEP], <s>, </s>) and the padding are kept as they are, and so is every other
   * input (the attention mask is the text's). Given an ids tensor [rows, seq] instead of an
   * encoded text, kept positions are those holding an added token's id or PAD.
   */
  async baselineEmbeddings(source: EncodedText | Tensor, options: { token?: BaselineToken } = {}): Promise<Tensor> {
    const id = this.baselineId(options.token ?? 'pad');
    if (!(source instanceof Tensor)) {
      const { ids, length, encoding } = source;
      const seq = ids.shape[1]!;
      const values = Array.from({ length: seq }, (_, p) => (p >= length || encoding.wordIds[p] === null ? Number(ids.data[p]) : id));
      return this.explainable.inputFrom({ ...source.feeds, [this.cut.idsInput]: Tensor.int64([1, seq], values) });
    }
    if (source.rank !== 2) throw new GlassboxError('bad-input', `token ids must be [rows, seq], got shape [${source.shape.join(', ')}]`);
    const original = source.toNumbers();
    const kept = (v: number) => this.tokenizer.addedIds.has(v) || v === this.tokenizer.padId;
    const baseline = Tensor.int64(source.shape, original.map((v) => (kept(v) ? v : id)));
    return this.explainable.inputFrom(this.feedsFor(baseline, original.map((v) => v !== this.tokenizer.padId)));
  }

  /**
   * One value per token of the text (padding left out): the attribution [1, seq, d] summed over
   * the embedding dimensions; with `normalize`, divided by the L2 norm of those sums as Captum's
   * summarize_attributions does.
   */
  perToken(attribution: Tensor, encoded: EncodedText, options: { normalize?: boolean; row?: number } = {}): number[] {
    const sums = tokenSums(attribution, encoded.length, options.row ?? 0);
    return options.normalize ? normalizeL2(sums) : sums;
  }

  /** Per-token values merged into the words of the text (added special tokens left out). */
  words(values: readonly number[], encoded: EncodedText): WordAttribution[] {
    const { tokens, wordIds, offsets } = encoded.encoding;
    return mergeWords(tokens, values, wordIds, { text: encoded.text, offsets });
  }

  async release(): Promise<void> {
    await this.explainable.release();
  }

  private baselineId(token: BaselineToken): number {
    if (token === 'pad') return this.requirePad('use it as the baseline token');
    if (token === 'mask') {
      if (this.tokenizer.maskId === undefined) throw new GlassboxError('bad-baseline', 'the tokenizer has no [MASK] token; use the PAD token or give an id as the baseline token');
      return this.tokenizer.maskId;
    }
    if (!(Number.isInteger(token) && token >= 0 && token < this.tokenizer.vocabularySize)) {
      throw new GlassboxError('bad-baseline', `baseline token ${token} is not an id of the tokenizer (0..${this.tokenizer.vocabularySize - 1})`);
    }
    return token;
  }

  private requirePad(why: string): number {
    if (this.tokenizer.padId === undefined) throw new GlassboxError('bad-input', `the tokenizer has no padding token to ${why}`);
    return this.tokenizer.padId;
  }

  /** All model inputs for ids [rows, seq]: the ids, and the attention masks, token types and positions that go with them. */
  private feedsFor(ids: Tensor, valid: readonly boolean[]): Feeds {
    const feeds: Feeds = { [this.cut.idsInput]: ids };
    const [rows, seq] = ids.shape as [number, number];
    for (const { name, kind, elemType } of this.aux) {
      const values = Array.from({ length: rows * seq }, (_, i) => (kind === 'mask' ? (valid[i] ? 1 : 0) : kind === 'positions' ? i % seq : 0));
      feeds[name] = tensorOf(elemType, [rows, seq], values, name);
    }
    return feeds;
  }

  private extraFrom(feeds: Feeds): Feeds {
    return Object.fromEntries(this.explainable.extraInputs.map((n) => [n, feeds[n]!]));
  }
}

/** A text model: `model` cut at its embedding output, with its tokenizer (see TextModel). */
export function forText(model: Model, options: TextModelOptions): Promise<TextModel> {
  return TextModel.create(model, options);
}

function tensorOf(elemType: number, shape: number[], values: number[], name: string): Tensor {
  switch (elemType) {
    case 7:
      return Tensor.int64(shape, values);
    case 6:
      return new Tensor('int32', shape, Int32Array.from(values));
    case 1:
      return Tensor.float32(shape, values);
    case 9:
      return new Tensor('bool', shape, Uint8Array.from(values));
    default:
      throw new GlassboxError('bad-input', `input "${name}" has an element type (${elemType}) TextModel cannot fill`);
  }
}
