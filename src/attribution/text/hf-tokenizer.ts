/**
 * Hugging Face `tokenizer.json` files (WordPiece, BPE, Unigram, WordLevel; their normalizers,
 * pre-tokenizers and post-processors) through the `tokenizers` npm package.
 *
 * Why that package: it is Hugging Face's own Rust tokenizers library (the code behind Python's
 * `tokenizers` and every `*TokenizerFast`), bound to Node with napi-rs. So ids are those of the
 * Python library by construction, and it reports what attribution needs and the pure-JS ports
 * do not: each token's character span in the original text (tracked through normalization) and
 * its word index. `@huggingface/tokenizers` (tokenizers.js, pure JS) and
 * `@huggingface/transformers` (whose AutoTokenizer is tokenizers.js) return only ids, tokens and
 * masks, so offsets would have to be re-derived by matching token strings against the text
 * ('##', 'Ġ', '▁', lowercasing, accent stripping): fragile. The package installs from the npm
 * registry with its prebuilt binaries inside (no install script, nothing fetched at run time).
 * It is loaded on first use, so glassbox starts without it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Tokenizers from 'tokenizers';
import { GlassboxError, errorMessage } from '../../util/errors.js';
import type { EncodeOptions, TextEncoding, TextTokenizer } from './tokenizer.js';

type Library = typeof Tokenizers;
let library: Library | undefined;

function tokenizersLibrary(): Library {
  if (!library) {
    try {
      library = createRequire(import.meta.url)('tokenizers') as Library;
    } catch (error) {
      throw new GlassboxError('not-available', `the Hugging Face tokenizers library cannot be loaded on ${process.platform}-${process.arch} (${errorMessage(error)}); reinstall with npm ci`);
    }
  }
  return library;
}

/** The parts of tokenizer.json the native library does not expose. */
interface TokenizerJson {
  added_tokens?: { id: number; content: string; special?: boolean }[];
  model?: { type?: string; unk_token?: string | null; unk_id?: number | null };
  padding?: { pad_id?: number; pad_token?: string; strategy?: unknown } | null;
  truncation?: { max_length?: number } | null;
}

const PAD_NAMES = ['[PAD]', '<pad>', '<|pad|>', '<|padding|>', '<PAD>'];
const MASK_NAMES = ['[MASK]', '<mask>', '<|mask|>', '<MASK>'];
const UNK_NAMES = ['[UNK]', '<unk>', '<|unk|>', '<UNK>'];

export class HfTokenizer implements TextTokenizer {
  readonly kind = 'huggingface' as const;
  readonly vocabularySize: number;
  readonly padId: number | undefined;
  readonly maskId: number | undefined;
  readonly unkId: number | undefined;
  readonly specialTokens: ReadonlyMap<string, number>;
  readonly sequenceLength: number | undefined;
  /** The truncation length the file asks for, used when encode() is given none. */
  readonly maxLength: number | undefined;

  private constructor(
    private readonly native: Tokenizers.Tokenizer,
    config: TokenizerJson,
    readonly addedIds: ReadonlySet<number>,
    /** Where the tokenizer came from (for messages). */
    readonly source: string,
  ) {
    this.vocabularySize = native.getVocabSize(true);
    this.specialTokens = new Map((config.added_tokens ?? []).filter((t) => t.special).map((t) => [t.content, t.id]));
    const named = (names: readonly string[]): number | undefined => {
      for (const n of names) {
        const id = this.specialTokens.get(n) ?? native.tokenToId(n);
        if (id !== null && id !== undefined) return id;
      }
      return undefined;
    };
    this.padId = config.padding?.pad_id ?? (config.padding?.pad_token !== undefined ? native.tokenToId(config.padding.pad_token) ?? undefined : undefined) ?? named(PAD_NAMES);
    this.maskId = named(MASK_NAMES);
    const model = config.model ?? {};
    const unk = model.type === 'Unigram' ? model.unk_id ?? undefined : typeof model.unk_token === 'string' ? native.tokenToId(model.unk_token) ?? undefined : undefined;
    this.unkId = unk ?? named(UNK_NAMES);
    const strategy = config.padding?.strategy as { Fixed?: number } | undefined;
    this.sequenceLength = typeof strategy === 'object' && strategy && typeof strategy.Fixed === 'number' ? strategy.Fixed : undefined;
    this.maxLength = config.truncation?.max_length ?? undefined;
  }

  /** Reads a tokenizer.json file. */
  static async fromFile(path: string): Promise<HfTokenizer> {
    let json: string;
    try {
      json = readFileSync(path, 'utf8');
    } catch (error) {
      throw new GlassboxError('not-found', `cannot read the tokenizer ${path} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
    }
    return HfTokenizer.fromJSON(json, path);
  }

  /** A tokenizer from the text of a tokenizer.json. */
  static async fromJSON(json: string, source = 'tokenizer.json'): Promise<HfTokenizer> {
    let config: TokenizerJson;
    try {
      config = JSON.parse(json) as TokenizerJson;
    } catch (error) {
      throw new GlassboxError('bad-tokenizer', `${source} is not JSON (${errorMessage(error)})`);
    }
    let native: Tokenizers.Tokenizer;
    try {
      native = tokenizersLibrary().Tokenizer.fromString(json);
    } catch (error) {
      if (error instanceof GlassboxError) throw error;
      throw new GlassboxError('bad-tokenizer', `${source} is not a tokenizer.json the Hugging Face tokenizers library can read (${errorMessage(error)})`);
    }
    // Padding and truncation are ours to do (TextModel pads to what the model needs; truncation
    // must keep the added special tokens), so the file's settings are read, then switched off.
    native.disablePadding();
    native.disableTruncation();
    // The tokens the post-processor adds around any text are those it puts around an empty one.
    const empty = await native.encode('');
    return new HfTokenizer(native, config, new Set(empty.getIds()), source);
  }

  async encode(text: string, options: EncodeOptions = {}): Promise<TextEncoding> {
    const maxLength = options.maxLength ?? this.maxLength;
    if (maxLength !== undefined && maxLength - this.addedIds.size < 1) {
      throw new GlassboxError('bad-option', `maxLength ${maxLength} leaves no room for text beside the ${this.addedIds.size} special tokens ${this.source} adds`);
    }
    // Truncation is the library's (it cuts the text's tokens and keeps room for the special
    // tokens); it is a setting of the tokenizer read when the encoding runs, so encodings with
    // their own maxLength take turns.
    const encoding = await this.exclusive(async () => {
      if (maxLength === undefined) this.native.disableTruncation();
      else this.native.setTruncation(maxLength, { direction: 'right' });
      return this.native.encode(text);
    });
    const units = codePointToUnit(text);
    return {
      ids: encoding.getIds(),
      tokens: encoding.getTokens(),
      // The library counts characters (code points); JavaScript strings index UTF-16 units.
      offsets: encoding.getOffsets().map(([s, e]) => [units(s!), units(e!)] as [number, number]),
      wordIds: encoding.getWordIds().map((w) => (w === undefined || w === null ? null : w)),
      truncated: encoding.getOverflowing().length > 0,
    };
  }

  private queue: Promise<unknown> = Promise.resolve();

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  idToToken(id: number): string | undefined {
    return this.native.idToToken(id) ?? undefined;
  }
}

/** Maps a code-point index of `text` to its UTF-16 index (identity when there are no surrogate pairs). */
function codePointToUnit(text: string): (index: number) => number {
  if (!/[\uD800-\uDBFF]/.test(text)) return (i) => i;
  const units: number[] = [];
  let unit = 0;
  for (const ch of text) {
    units.push(unit);
    unit += ch.length;
  }
  units.push(unit);
  return (i) => units[Math.min(i, units.length - 1)]!;
}
