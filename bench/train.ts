/**
 * Training steps per second: glassbox's trainer (one onnxruntime run per step for loss, logits
 * and every gradient; AdamW, dropout masks and batch assembly in TypeScript) against PyTorch
 * eager doing the same steps (bench/torch/train.py: the same architectures, AdamW, batch size and
 * training examples), at 1 thread (the CLI's deterministic default) and 2 threads.
 *
 * Timed: `steps` steps after `warmup` steps, inside one epoch (the evaluation at its end falls
 * outside the window); session creation is not counted on either side.
 *
 *   npm run bench -- train      (TRAIN_STEPS=100 TRAIN_REPEATS=3 by default)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/data/index.js';
import type { RuntimeOptions } from '../src/runtime/options.js';
import { recipe } from '../src/train/recipes/index.js';
import { train } from '../src/train/trainer.js';
import type { CheckpointSink, Dataset } from '../src/train/types.js';
import { PYTHON, torchAvailable } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BATCH = 64;
const WARMUP = 10;

interface Case {
  label: string;
  recipe: 'cnn' | 'transformer';
  dataset: string;
}

const CASES: readonly Case[] = [
  { label: 'MNIST CNN (recipe defaults)', recipe: 'cnn', dataset: 'mnist' },
  { label: 'sentiment Transformer (recipe defaults)', recipe: 'transformer', dataset: 'sentiment' },
];

/** Nothing is stored: the benchmark times the steps, not the run store. */
const NO_STORE: CheckpointSink = { startRun: () => 'bench', writeCheckpoint: () => {}, writeMetrics: () => {}, finishRun: () => {} };

/** Examples used: whole batches only, at most what `steps` steps after the warm-up read. */
function examplesFor(dataset: Dataset, steps: number): number {
  return Math.min(BATCH * (WARMUP + steps), Math.floor(dataset.train.size / BATCH) * BATCH);
}

/**
 * Steps per second over `steps` steps after the warm-up. A small dataset (sentiment: 37 batches)
 * takes several epochs; the step after an epoch's end also carries that epoch's test evaluation,
 * so it is left out of the timing.
 */
async function oursStepsPerSecond(c: Case, dataset: Dataset, steps: number, runtime: RuntimeOptions): Promise<number> {
  const examples = examplesFor(dataset, steps);
  let last = 0;
  let lastEpoch = 0;
  let timed = 0;
  let seconds = 0;
  await train({
    recipe: recipe(c.recipe), dataset, seed: 1, epochs: Math.ceil((WARMUP + steps) / (examples / BATCH)), batchSize: BATCH,
    optimizer: { type: 'adamw', lr: 1e-3 }, trainLimit: examples, testLimit: BATCH, checkpointEpochs: false, runtime,
    onStep: (p) => {
      const now = performance.now();
      if (p.step > WARMUP && timed < steps && p.epoch === lastEpoch) {
        seconds += (now - last) / 1000;
        timed++;
      }
      [last, lastEpoch] = [now, p.epoch];
    },
  }, NO_STORE);
  return timed / seconds;
}

function torchStepsPerSecond(c: Case, dataset: Dataset, steps: number, threads: number, repeats: number): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-train-bench-'));
  try {
    const n = examplesFor(dataset, steps);
    const indices = Array.from({ length: n }, (_, i) => i);
    const inputs = dataset.train.inputs(indices).data as Float32Array | BigInt64Array;
    writeFileSync(join(dir, 'inputs.bin'), Buffer.from(inputs.buffer, inputs.byteOffset, inputs.byteLength));
    writeFileSync(join(dir, 'labels.bin'), Buffer.from(BigInt64Array.from(dataset.train.labels.subarray(0, n), (v) => BigInt(v)).buffer));
    const spec = {
      model: c.recipe, threads, batch: BATCH, examples: n, warmup: WARMUP, steps, repeats, shape: [...dataset.shape], classes: dataset.classes.length,
      vocabulary: dataset.vocabulary?.length ?? 0, inputs: join(dir, 'inputs.bin'), labels: join(dir, 'labels.bin'),
    };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = execFileSync(PYTHON, [join(HERE, 'torch', 'train.py'), join(dir, 'spec.json')], { encoding: 'utf8' });
    return (JSON.parse(out.trim().split('\n').pop()!) as { stepsPerSecond: number[] }).stepsPerSecond;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const spread = (v: number[]) => `${median(v).toFixed(1)} (${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)})`;

export async function benchTrain(): Promise<string[]> {
  const steps = Number(process.env.TRAIN_STEPS ?? 100);
  const repeats = Number(process.env.TRAIN_REPEATS ?? 3);
  const withTorch = torchAvailable();
  const rows = [
    `| model | threads | glassbox steps/s, median (min–max of ${repeats}) | PyTorch eager steps/s | glassbox ÷ PyTorch |`,
    '|---|---|---|---|---|',
  ];
  for (const c of CASES) {
    const dataset = loadDataset(c.dataset);
    for (const threads of [1, 2]) {
      const runtime: RuntimeOptions = threads === 1 ? { deterministic: true } : { threads };
      const ours: number[] = [];
      for (let k = 0; k < repeats; k++) ours.push(await oursStepsPerSecond(c, dataset, steps, runtime));
      const theirs = withTorch ? torchStepsPerSecond(c, dataset, steps, threads, repeats) : [];
      rows.push(`| ${c.label}, batch ${BATCH} | ${threads} | ${spread(ours)} | ${theirs.length ? spread(theirs) : 'n/a'} | ${theirs.length ? `${(median(ours) / median(theirs)).toFixed(2)}×` : 'n/a'} |`);
    }
  }
  rows.push('', `${steps} timed steps after ${WARMUP} warm-up steps, AdamW lr 1e-3 (weight decay 0.01) on both sides; glassbox at 1 thread is the CLI's default (--threads unset: deterministic).`);
  if (!withTorch) rows.push('', 'PyTorch columns are n/a: Debian python3-torch is not installed (apt install python3-torch).');
  return rows;
}
