import { InvalidArgumentError, type Command } from 'commander';
import { GlassboxError } from '../../util/errors.js';
import { trainingDataset } from '../../explain/model-ref.js';
import { parseSchedule, RunStore, DEFAULT_STORE_DIR } from '../../store/index.js';
import { recipe as findRecipe } from '../../train/recipes/index.js';
import { train, type TrainOptions } from '../../train/trainer.js';
import type { OptimizerConfig, ScheduleConfig } from '../../train/optim/index.js';
import type { Metrics } from '../../train/types.js';
import type { CliIO } from '../context.js';
import { formatNumber } from '../format-tensor.js';
import { writeJson } from '../output.js';
import { progressBar } from '../progress.js';
import { latestProfile, profiledRuns, readProfile, summariseProfile } from '../../runtime/profile.js';
import { integerOption } from './shared.js';

interface TrainFlags {
  recipe?: string;
  dataset?: string;
  seed?: number;
  seeds?: number[];
  epochs: number;
  batchSize: number;
  optimizer: 'sgd' | 'adam' | 'adamw';
  lr?: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  schedule: string;
  warmup: number;
  clipNorm?: number;
  clipValue?: number;
  checkpoints: string;
  randomLabels?: number;
  batchnorm?: boolean;
  dropout?: number;
  set?: Record<string, unknown>;
  trainLimit?: number;
  testLimit?: number;
  store: string;
  resume?: string;
  init?: string;
  vocabFrom?: string;
  threads?: number;
  profile?: string;
  json?: string | boolean;
}

export function registerTrain(program: Command, io: CliIO): void {
  program
    .command('train')
    .description('train a model recipe on a dataset, keeping a checkpoint series in the run store')
    .option('-r, --recipe <name>', 'mlp, cnn, lstm, gru, textcnn, transformer or mlm')
    .option('-d, --dataset <name>', 'mnist, fashion-mnist, sentiment, sentiment-imdb|yelp|amazon, brown-genre, or a .csv/.jsonl file')
    .option('--seed <n>', 'random seed (weights, data order, dropout)', integerOption('--seed', 0))
    .option('--seeds <a..b>', 'train one run per seed, e.g. 1..10', seedRange)
    .option('-e, --epochs <n>', 'passes over the training set', integerOption('--epochs', 1), 5)
    .option('-b, --batch-size <n>', 'examples per step', integerOption('--batch-size', 2), 64)
    .option('--optimizer <name>', 'sgd, adam or adamw', optimizerName, 'adamw')
    .option('--lr <x>', 'learning rate (default 1e-3 for adam/adamw, 0.05 for sgd)', positiveNumber('--lr'))
    .option('--momentum <x>', 'SGD momentum (default 0.9)', Number)
    .option('--nesterov', 'Nesterov momentum (SGD)')
    .option('--weight-decay <x>', 'L2 (sgd, adam) or decoupled (adamw) weight decay', Number)
    .option('--schedule <name>', 'constant, cosine, or step:N[:gamma]', 'constant')
    .option('--warmup <steps>', 'linear learning-rate warmup', integerOption('--warmup', 0), 0)
    .option('--clip-norm <x>', 'clip the global gradient norm', positiveNumber('--clip-norm'))
    .option('--clip-value <x>', 'clip each gradient element', positiveNumber('--clip-value'))
    .option('--checkpoints <spec>', 'checkpoint steps: every:N, log:K, at:A/B/C (plus the end of each epoch)', 'at:0,log:6')
    .option('--random-labels <fraction>', 'replace this fraction of training labels by random ones (1.0: Zhang et al. 2017)', Number)
    .option('--batchnorm', 'add BatchNorm (cnn, mlp)')
    .option('--dropout <p>', 'dropout probability', Number)
    .option('--set <key=value>', 'any recipe option, e.g. --set hidden=[512,512] --set layers=4 (repeatable)', collectSetting)
    .option('--train-limit <n>', 'use only the first n training examples', integerOption('--train-limit', 2))
    .option('--test-limit <n>', 'use only the first n test examples', integerOption('--test-limit', 1))
    .option('--store <dir>', 'run store directory', DEFAULT_STORE_DIR)
    .option('--resume <run>', 'continue an interrupted run from its last complete checkpoint')
    .option('--init <run[:step]>', 'start from the weights of another run (where names and shapes match), e.g. a pretrained mlm encoder')
    .option('--vocab-from <dataset>', "tokenize with another text dataset's vocabulary and length (pretraining on one corpus, fine-tuning on another)")
    .option('--threads <n>', 'threads per operator', integerOption('--threads', 1))
    .option('--profile <prefix>', "onnxruntime's profiler: print where each step's time went, per op, and keep the traces (one event per node and step: tens of MB for a long run) as <prefix>-s<seed>-train_<date>.json, for ui.perfetto.dev")
    .option('--json [file]', 'write the final metrics of every run as JSON')
    .addHelpText('after', `
Examples:
  glassbox train --recipe cnn --dataset mnist --epochs 3
  glassbox train --recipe transformer --dataset sentiment --epochs 12 --seeds 1..5
  glassbox train --recipe mlp --dataset mnist --random-labels 1.0 --epochs 100 --train-limit 10000
  glassbox train --resume 20261121-2040-mnist-cnn-s1
  glassbox train --recipe mlm --dataset brown-genre --vocab-from sentiment --epochs 2
  glassbox train --recipe transformer --dataset sentiment --init <that mlm run> --epochs 10

Runs are deterministic from their seed. Every checkpoint holds the weights, the optimizer state
and the data position, so a run killed at any moment resumes to the same result.`)
    .action(async (flags: TrainFlags) => {
      const store = RunStore.open(flags.store, { create: true });
      try {
        const results: { runId: string; final: Metrics }[] = [];
        if (flags.resume) {
          results.push(await resume(store, flags, io));
        } else {
          if (!flags.recipe || !flags.dataset) throw new GlassboxError('bad-option', 'give --recipe and --dataset (or --resume <run>); see glassbox train --help');
          const seeds = flags.seeds ?? [flags.seed ?? 1];
          for (const seed of seeds) results.push(await runOne(store, optionsFrom(flags, seed, store), io, seeds.length > 1 ? ` (seed ${seed})` : ''));
        }
        if (flags.json !== undefined) writeJson(io, flags.json, results);
      } finally {
        store.close();
      }
    });
}

function optionsFrom(flags: TrainFlags, seed: number, store: RunStore): Omit<TrainOptions, 'onStep' | 'onEpoch'> & { checkpoints: string } {
  const recipe = findRecipe(flags.recipe!);
  const dataset = trainingDataset(flags.dataset!, flags.vocabFrom);
  const initFrom = flags.init ? initialWeights(store, flags.init) : undefined;
  const recipeConfig: Record<string, unknown> = { ...flags.set };
  if (flags.batchnorm) recipeConfig.batchnorm = true;
  if (flags.dropout !== undefined) recipeConfig.dropout = flags.dropout;
  const optimizer: OptimizerConfig = flags.optimizer === 'sgd'
    ? { type: 'sgd', lr: flags.lr ?? 0.05, momentum: flags.momentum ?? 0.9, ...(flags.nesterov ? { nesterov: true } : {}), ...(flags.weightDecay !== undefined ? { weightDecay: flags.weightDecay } : {}) }
    : { type: flags.optimizer, lr: flags.lr ?? 1e-3, ...(flags.weightDecay !== undefined ? { weightDecay: flags.weightDecay } : {}) };
  const schedule = parseLrSchedule(flags.schedule);
  const checkpoints = parseSchedule(flags.checkpoints);
  return {
    recipe: recipe as TrainOptions['recipe'], recipeConfig, dataset, seed, epochs: flags.epochs, batchSize: flags.batchSize, optimizer, schedule,
    warmup: flags.warmup, checkpoints: flags.checkpoints, checkpointAt: (step) => checkpoints.includes(step),
    extraConfig: { checkpoints: flags.checkpoints, ...(flags.vocabFrom ? { vocabFrom: flags.vocabFrom } : {}), ...(flags.init ? { init: flags.init } : {}) },
    ...(recipe.name === 'mlm' && !dataset.train.positionLabels ? { objective: 'masked-lm' as const } : {}),
    ...(initFrom ? { initFrom } : {}),
    ...(flags.clipNorm || flags.clipValue ? { clip: { ...(flags.clipNorm ? { norm: flags.clipNorm } : {}), ...(flags.clipValue ? { value: flags.clipValue } : {}) } } : {}),
    ...(flags.randomLabels !== undefined ? { randomLabels: flags.randomLabels } : {}),
    ...(flags.trainLimit ? { trainLimit: flags.trainLimit } : {}), ...(flags.testLimit ? { testLimit: flags.testLimit } : {}),
    runtime: {
      deterministic: flags.threads === undefined, ...(flags.threads ? { threads: flags.threads } : {}),
      ...(flags.profile !== undefined ? { profile: `${flags.profile}-s${seed}` } : {}),
    },
  };
}

async function runOne(store: RunStore, options: ReturnType<typeof optionsFrom>, io: CliIO, label = '', resumeFrom?: TrainOptions['resume']): Promise<{ runId: string; final: Metrics }> {
  const started = Date.now();
  let bar: ReturnType<typeof progressBar> | undefined;
  const result = await train({
    ...options,
    ...(resumeFrom ? { resume: resumeFrom } : {}),
    onStep: (p) => {
      bar ??= progressBar(io, p.totalSteps, `training${label}`);
      bar.update(p.step, { epoch: p.epoch + 1, loss: p.loss.toFixed(4) });
    },
    onEpoch: (m) => {
      bar?.stop();
      bar = undefined;
      io.stderr(`${epochLine(m, options.epochs)} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    },
  }, store);
  bar?.stop();
  if (options.runtime?.profile !== undefined) printProfile(io, options.runtime.profile);
  io.stdout(`run ${result.runId}${label}: test accuracy ${percent(result.final.testAccuracy)} after ${result.final.epoch} epochs, ${result.final.step} steps · ${store.listCheckpoints(result.runId).length} checkpoints in ${store.dir}\n`);
  return { runId: result.runId, final: result.final };
}

async function resume(store: RunStore, flags: TrainFlags, io: CliIO): Promise<{ runId: string; final: Metrics }> {
  const run = store.resolveRun(flags.resume!);
  const config = run.config as Record<string, unknown> & { recipe: string; dataset: string; recipeConfig: Record<string, unknown>; checkpoints?: string };
  const checkpoint = store.resumeRun(run.id);
  const state = checkpoint ? store.loadCheckpoint(run.id, checkpoint.step) : undefined;
  const options = {
    ...optionsFrom({
      ...flags, recipe: config.recipe, dataset: config.dataset, checkpoints: config.checkpoints ?? flags.checkpoints,
      ...(typeof config.vocabFrom === 'string' ? { vocabFrom: config.vocabFrom } : {}), init: undefined,
    }, run.seed ?? 1, store),
    recipeConfig: config.recipeConfig,
    epochs: config.epochs as number, batchSize: config.batchSize as number, optimizer: config.optimizer as OptimizerConfig,
    schedule: config.schedule as ScheduleConfig, warmup: config.warmup as number,
    ...(config.clip ? { clip: config.clip as TrainOptions['clip'] } : {}),
    randomLabels: config.randomLabels as number,
    trainLimit: config.trainSize as number, testLimit: config.testSize as number,
  };
  io.stderr(`resuming ${run.id} from ${checkpoint ? `step ${checkpoint.step}` : 'the start (no checkpoint was complete)'}\n`);
  return runOne(store, options, io, '', { runId: run.id, ...(state ? { state } : {}) });
}

/** The dataset, tokenized with another dataset's vocabulary and length when asked. */

/** Weights of `run[:step]` (latest by default) from the store. */
function initialWeights(store: RunStore, ref: string) {
  const colon = ref.lastIndexOf(':');
  const [runRef, stepText] = colon > 0 ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
  const run = store.resolveRun(runRef);
  const step = stepText === 'latest' ? 'latest' : Number(stepText);
  if (step !== 'latest' && !Number.isInteger(step)) throw new GlassboxError('bad-option', `--init takes run[:step], got "${ref}"`);
  return store.loadWeights(run.id, step);
}

/** Where the training steps' time went, from the training session's trace (trainer: <prefix>-train). */
function printProfile(io: CliIO, prefix: string): void {
  const trace = latestProfile(`${prefix}-train`);
  if (!trace) throw new GlassboxError('runtime', `onnxruntime wrote no profile under ${prefix}-train`);
  const events = readProfile(trace);
  const runs = profiledRuns(events).length;
  // The first steps allocate memory and warm caches: leave out up to 10, keeping at least 10.
  const { runs: counted, byOp, total } = summariseProfile(events, Math.min(WARMUP_STEPS, Math.max(0, runs - WARMUP_STEPS)));
  const lines = [`where each training step's time went: ${total.toFixed(1)} ms in onnxruntime kernels (mean of ${counted} steps)`];
  const width = Math.max(...[...byOp.keys()].slice(0, 10).map((op) => op.length));
  for (const [op, ms] of [...byOp].slice(0, 10)) lines.push(`  ${op.padEnd(width)}  ${ms.toFixed(2).padStart(7)} ms  ${((100 * ms) / total).toFixed(0).padStart(3)} %`);
  const evaluation = latestProfile(`${prefix}-eval`);
  lines.push(`  traces (open in ui.perfetto.dev): ${trace}${evaluation ? `, and the test evaluations' ${evaluation}` : ''}`);
  io.stderr(`${lines.join('\n')}\n`);
}

const WARMUP_STEPS = 10;

function epochLine(m: Metrics, epochs: number): string {
  return `epoch ${m.epoch}/${epochs}  train loss ${formatNumber(m.trainLoss ?? NaN)} acc ${percent(m.trainAccuracy)}  test loss ${formatNumber(m.testLoss ?? NaN)} acc ${percent(m.testAccuracy)}`;
}

function percent(x: number | undefined): string {
  return x === undefined ? '?' : `${(100 * x).toFixed(2)}%`;
}

function parseLrSchedule(spec: string): ScheduleConfig {
  if (spec === 'constant' || spec === 'cosine') return { type: spec };
  const m = /^step:(\d+)(?::([\d.]+))?$/.exec(spec);
  if (m) return { type: 'step', every: Number(m[1]), ...(m[2] ? { gamma: Number(m[2]) } : {}) };
  throw new GlassboxError('bad-option', `unknown learning-rate schedule "${spec}" (use constant, cosine or step:N[:gamma])`);
}

function seedRange(value: string): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(value);
  const list = m ? Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i) : value.split(',').map(Number);
  if (list.length === 0 || list.some((s) => !Number.isInteger(s) || s < 0)) throw new InvalidArgumentError('--seeds takes a range a..b or a list a,b,c of non-negative integers');
  return list;
}

function optimizerName(value: string): 'sgd' | 'adam' | 'adamw' {
  if (value === 'sgd' || value === 'adam' || value === 'adamw') return value;
  throw new InvalidArgumentError('use sgd, adam or adamw');
}

function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(n > 0)) throw new InvalidArgumentError(`${flag} must be a positive number`);
    return n;
  };
}

function collectSetting(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--set takes key=value, got "${value}"`);
  const raw = value.slice(eq + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // a bare string such as activation=gelu
  }
  return { ...previous, [value.slice(0, eq)]: parsed };
}
