import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { measureImage } from '../../analysis/information/image.js';
import { informationHtml, informationImagePng, informationPng, informationSummary, informationTable, inputPicture, stackPngs, type InformationRecord } from '../../analysis/information/report/index.js';
import { measureTensor, measureText, type MeasureRequest } from '../../analysis/information/request.js';
import { HfTokenizer } from '../../attribution/text/hf-tokenizer.js';
import type { TextTokenizer } from '../../attribution/text/tokenizer.js';
import { WordVocabularyTokenizer } from '../../attribution/text/word-vocabulary.js';
import { resolveModel, trainingImages, trainingTexts, type ModelRef } from '../../explain/model-ref.js';
import { resolveSubject } from '../../explain/subject.js';
import { writeFileAtomic } from '../../onnx/io.js';
import { feedsFromArgs } from '../../runtime/feed-files.js';
import type { Feeds } from '../../runtime/feeds.js';
import { parseCheckpointRef, RunStore } from '../../store/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Dataset } from '../../train/types.js';
import { GlassboxError } from '../../util/errors.js';
import type { CliIO } from '../context.js';
import { writeJson } from '../output.js';
import { progressBar } from '../progress.js';
import { integerOption, runtimeFlags, type RuntimeFlags } from './shared.js';
import { STORE_OPTION } from './runs.js';

interface Flags extends RuntimeFlags {
  text?: string;
  input?: string[];
  example?: number;
  image?: string;
  patch?: number;
  layers: string;
  compare?: string[];
  tokenizer?: string;
  embedding?: string;
  samples: number;
  steps?: number;
  noiseSamples?: number;
  seed?: number;
  lambda?: number;
  log?: boolean;
  json?: string | boolean;
  html?: string;
  png?: string;
  store: string;
  save?: boolean;
}

/** Sentences of the run's dataset for s when --samples is not given (the reference samples from its data too). */
const DEFAULT_SAMPLES = 100;

export function registerInformation(program: Command, io: CliIO): void {
  const cmd = program
    .command('information')
    .description('how much of each word (or image patch) every layer keeps: the information measure of Guan et al. (ICML 2019)')
    .argument('[model]', 'an ONNX model file, or a run from the store: <run>[:<step>|:latest]')
    .option('--text <sentence>', 'the sentence to measure (with --tokenizer, or a run from the store)')
    .option('-i, --input <spec...>', 'tensors as [name=]file.json: the model\'s input when it already is the embedding tensor [1, seq, D] (noise per position), or token ids')
    .option('--example <i>', 'test example i of the run\'s dataset (a sentence, or an image)', integerOption('--example', 0))
    .option('--image <file>', 'a PNG/JPEG/WebP image for an image model, resized to its input; σ per patch')
    .option('--patch <px>', 'pixels per side of an image patch, one σ each (default: at most 14 patches per side)', integerOption('--patch', 1))
    .option('-l, --layers <names>', '"all" (the named layers of models trained here; otherwise block outputs, at most 12), or tensor names separated by commas', 'all')
    .option('--compare <runs>', 'more models for the same sentence, separated by commas: figures side by side', modelList)
    .option('--tokenizer <file>', 'a Hugging Face tokenizer.json for --text')
    .option('--embedding <tensor>', 'the tensor noise is added to, when the embedding output cannot be found (or another is wanted)')
    .option('--samples <n>', 'sentences or images from the run\'s training data for the feature scale s (0: s from the input itself)', integerOption('--samples', 0), DEFAULT_SAMPLES)
    .option('--steps <n>', 'Adam steps at most (default 5000, the reference\'s; early stopping ends sooner)', integerOption('--steps', 1))
    .option('--noise-samples <k>', 'noise draws per step, in one batched run (default 4)', integerOption('--noise-samples', 1))
    .option('--seed <n>', 'seed of the initial σ and the noise (default 0)', integerOption('--seed', 0))
    .option('--lambda <x>', 'weight of the entropy term (default 0.1)', nonNegative)
    .option('--log', 'print log(σ / scale) in the terminal instead of σ / scale')
    .option('--json [file]', 'the measured σ and entropies per token and layer, to stdout or a file')
    .option('--html <file>', 'a self-contained page: words × layers heatmap (values on hover) and mean curve per layer; for an image, what each layer keeps over it')
    .option('--png <file>', 'the same figure as a PNG')
    .option('--save', 'store the result (a sentence\'s or an image\'s) as an analysis of the checkpoint, for the dashboard (the default for runs from the store)')
    .option('--no-save', 'do not store the result')
    .option(...STORE_OPTION);
  runtimeFlags(cmd);
  cmd.addHelpText('after', `
σ of a word is the largest Gaussian noise its embedding can take while a layer's features barely
change: large σ, the layer has forgotten the word. The terminal shows σ / scale per word and layer
(scale is the largest σ allowed) and each layer's mean.

Examples:
  glassbox information sentiment-run --text "the food was terrible" --layers all
  glassbox information sentiment-run:latest --example 3 --html info.html --png info.png
  glassbox information transformer-run --compare lstm-run,textcnn-run --text "a quietly devastating film" --png compare.png
  glassbox information encoder.onnx --input embeddings=x.json --layers /blocks.0/Add_1_output_0,/blocks.1/Add_1_output_0
  glassbox information bert.onnx --tokenizer tokenizer.json --text "..." --embedding /embeddings/Add_1_output_0
  glassbox information mnist-run --example 7 --patch 4 --png digit-info.png
  glassbox information cnn.onnx --image digit.png --layers all --html digit-info.html

For an image, σ is given per patch (shared over its pixels and channels) and the terminal shows
each layer's mean with the patches kept best and worst; --png and --html draw what each layer
keeps over the image.`);
  cmd.action(async (model: string | undefined, flags: Flags) => {
    const refs = [...(model !== undefined ? [model] : []), ...(flags.compare ?? [])];
    if (refs.length === 0) throw new GlassboxError('bad-option', 'name a model: glassbox information <model.onnx | run[:step]> (--text "..." | --input x.json | --image file | --example i)');
    const given = [flags.text !== undefined && '--text', flags.input && '--input', flags.image !== undefined && '--image', flags.example !== undefined && '--example'].filter(Boolean);
    if (given.length !== 1) throw new GlassboxError('bad-option', given.length ? `give one input, not ${given.join(' and ')}` : 'say what to measure: --text "...", --input [name=]x.json, --image <file>, or --example <i> (a run\'s test example)');
    const models = refs.map((ref) => ({ ref, stored: isStoreRef(ref) ? ref : undefined, model: resolveModel(ref, flags.store) }));
    const fileGiven = models.find((m) => !m.stored);
    if (flags.save && fileGiven) throw new GlassboxError('bad-option', `--save keeps results with a run of the store; ${fileGiven.ref} is a file`);
    const textual = flags.text !== undefined || (flags.example !== undefined && models[0]!.model.dataset?.kind === 'tokens');
    const sentence = textual ? flags.text ?? exampleSentence(models[0]!.model, flags.example!) : undefined;

    const records: InformationRecord[] = [];
    const pictures: Buffer[] = [];
    for (const m of models) {
      const request = requestFor(io, m.model.label, flags);
      // Tensor files are read once, here: an image among them is measured per patch, anything else per position.
      const feeds = flags.input ? feedsFromArgs(flags.input, m.model.model.graph.feedInputs) : undefined;
      if (sentence !== undefined) {
        records.push(await measureText(m.model.model, await tokenizerFor(m.model, flags.tokenizer), m.model.label, sentence, { ...request, samples: trainingTexts(m.model, flags.samples) }));
      } else if (feeds && !holdsImage(feeds)) {
        if (flags.save) throw new GlassboxError('bad-option', '--save keeps the information of a sentence or an image for the dashboard; for a tensor use --json');
        records.push(await measureTensor(m.model.model, feeds, m.model.label, { ...request, source: flags.input!.join(' ') }));
      } else {
        const { record, image } = await measureImageOf(m.model, flags, request, feeds);
        records.push(record);
        if (image && (flags.png || flags.html)) pictures.push(await informationImagePng(record, image));
        // Stored with the result: the dashboard draws the layers over it.
        if (image && m.stored && flags.save !== false) record.image!.picture = await inputPicture(image);
      }
      request.done();
      const unknown = records.at(-1)!.unknownWords;
      if (unknown?.length) io.stderr(`${m.model.label}: not in the vocabulary, read as the unknown token: ${unknown.join(', ')}\n`);
    }

    const titles = models.map((m) => title(m.model));
    const images = records.every((r) => r.image);
    if (flags.html) writeFileAtomic(flags.html, informationHtml(records, { titles, ...(images ? { pictures } : {}) }));
    if (flags.png) writeFileAtomic(flags.png, images ? await stackPngs(pictures) : await informationPng(records, { titles }));
    if (flags.json !== undefined) writeJson(io, flags.json, records.length === 1 ? records[0] : { text: records[0]!.text, models: records });
    if (flags.json === undefined || (flags.json !== true && flags.json !== '-')) {
      io.stdout(`${records.map((r) => (r.image ? informationSummary(r) : informationTable(r, { log: flags.log ?? false }))).join('\n\n')}\n`);
    }
    if (flags.save !== false) {
      for (const [i, m] of models.entries()) if (m.stored && (sentence !== undefined || records[i]!.image)) save(io, flags.store, m.model.label, records[i]!);
    }
    for (const [flag, path] of [['html', flags.html], ['png', flags.png], ['json', typeof flags.json === 'string' && flags.json !== '-' ? flags.json : undefined]] as const) {
      if (path) io.stderr(`wrote ${path} (${flag})\n`);
    }
  });
}

/** Whether the tensors given feed an image [1, C, H, W] (measured per patch). */
function holdsImage(feeds: Feeds): boolean {
  return Object.values(feeds).some((t) => t.rank === 4 && (t.dtype === 'float32' || t.dtype === 'float64'));
}

/** σ per patch of the image given (a file, a test example of an image run, or tensors), with the image. */
async function measureImageOf(ref: ModelRef, flags: Flags, request: MeasureRequest, feeds: Feeds | undefined): Promise<{ record: InformationRecord; image?: Tensor }> {
  const subject = await resolveSubject(ref, {
    ...(flags.image !== undefined ? { image: flags.image } : {}),
    ...(flags.example !== undefined ? { example: flags.example } : {}),
    ...(feeds ? { feeds, input: flags.input! } : {}),
    ...(flags.embedding !== undefined ? { embedding: flags.embedding } : {}),
    ...(request.runtime ? { runtime: request.runtime } : {}),
  });
  try {
    if (subject.input.rank !== 4) throw new GlassboxError('bad-input', `${ref.label} reads [${subject.input.shape.join(', ')}] at "${subject.explainable.input}", not an image [1, C, H, W]: give a sentence (--text) or a tensor (--input)`);
    const record = await measureImage(subject.explainable, subject.input, subject.extra, ref.label, {
      ...request, source: subject.source, samples: trainingImages(ref, flags.samples),
      ...(flags.patch !== undefined ? { patch: flags.patch } : {}),
    });
    return { record, ...(subject.image ? { image: subject.image } : {}) };
  } finally {
    await subject.release();
  }
}


/** A reference resolveModel looks up in the store (what is not a file). */
function isStoreRef(ref: string): boolean {
  return !existsSync(ref) && !ref.endsWith('.onnx');
}

function requestFor(io: CliIO, label: string, flags: Flags): MeasureRequest & { done(): void } {
  let bar: ReturnType<typeof progressBar> | undefined;
  return {
    layers: flags.layers,
    ...(flags.embedding !== undefined ? { embedding: flags.embedding } : {}),
    ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
    ...(flags.noiseSamples !== undefined ? { noiseSamples: flags.noiseSamples } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.lambda !== undefined ? { lambda: flags.lambda } : {}),
    runtime: { ...(flags.threads !== undefined ? { threads: flags.threads } : {}), ...(flags.deterministic ? { deterministic: true } : {}) },
    onNote: (note) => io.stderr(`${label}: ${note}\n`),
    // Steps are a ceiling: early stopping usually ends far sooner, and the bar then jumps to the end.
    onProgress: (p) => {
      bar ??= progressBar(io, p.steps, `information ${label}`);
      bar.update(p.step, { layers: `${p.active}/${p.layers.length} still optimising` });
    },
    done: () => bar?.stop(),
  };
}

async function tokenizerFor(ref: ModelRef, file: string | undefined): Promise<TextTokenizer> {
  if (file) return HfTokenizer.fromFile(file);
  if (ref.dataset?.kind === 'tokens') return WordVocabularyTokenizer.fromDataset(ref.dataset);
  throw new GlassboxError('bad-option', `a sentence needs ${ref.label}'s tokenizer: give --tokenizer <tokenizer.json>, or a run from the store (its vocabulary comes with it)`);
}

function exampleSentence(ref: ModelRef, i: number): string {
  const dataset = ref.dataset;
  if (!dataset) throw new GlassboxError('bad-option', `--example picks a test sentence of a run's dataset; ${ref.label} is a file (give --text or --input)`);
  const texts = dataset.test.texts;
  if (dataset.kind !== 'tokens' || !texts) throw new GlassboxError('bad-option', `--example needs a text dataset; ${dataset.name} holds ${dataset.kind} (give --input)`);
  if (i >= texts.length) throw new GlassboxError('bad-option', `--example ${i} is out of range: ${dataset.name}'s test split has ${texts.length} examples (0..${texts.length - 1})`);
  return texts[i]!;
}


function title(ref: ModelRef): string {
  const dataset: Dataset | undefined = ref.dataset;
  return dataset ? `${ref.label} (${dataset.name})` : ref.label;
}

function save(io: CliIO, storeDir: string, label: string, record: InformationRecord): void {
  const { run, step } = parseCheckpointRef(label);
  const store = RunStore.open(storeDir, { create: false });
  try {
    store.putAnalysis({ run, step: step === 'latest' ? undefined : step, kind: 'information', params: record.image ? { input: record.text } : { text: record.text }, result: record });
  } finally {
    store.close();
  }
  io.stderr(`saved to ${storeDir}: run ${run}, step ${step} (glassbox serve shows it)\n`);
}

function modelList(value: string): string[] {
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('name at least one run or model file');
  return names;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n >= 0)) throw new InvalidArgumentError(`--lambda must be a number ≥ 0, got "${value}"`);
  return n;
}
