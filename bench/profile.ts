/**
 * Where a training step's time goes inside onnxruntime: the trainer runs with onnxruntime's
 * profiler on (RuntimeOptions.profile), and the training session's trace is summed per op type
 * and per node over the steps after the warm-up, at one thread (the CLI's default).
 *
 *   npm run bench -- profile      (PROFILE_STEPS=50 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../src/data/index.js';
import { latestProfile, readProfile, summariseProfile } from '../src/runtime/profile.js';
import { recipe } from '../src/train/recipes/index.js';
import { train } from '../src/train/trainer.js';
import type { CheckpointSink } from '../src/train/types.js';

const BATCH = 64;
const WARMUP = 10;
const CASES = [
  { label: 'MNIST CNN (recipe defaults)', recipe: 'cnn', dataset: 'mnist' },
  { label: 'sentiment Transformer (recipe defaults)', recipe: 'transformer', dataset: 'sentiment' },
] as const;

const NO_STORE: CheckpointSink = { startRun: () => 'bench', writeCheckpoint: () => {}, writeMetrics: () => {}, finishRun: () => {} };

const top = (m: Map<string, number>, n: number) => [...m].slice(0, n);

export async function benchProfile(): Promise<string[]> {
  const steps = Number(process.env.PROFILE_STEPS ?? 50);
  const rows: string[] = [];
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-profile-'));
    try {
      const dataset = loadDataset(c.dataset);
      const examples = Math.min(BATCH * (WARMUP + steps), Math.floor(dataset.train.size / BATCH) * BATCH);
      const prefix = join(dir, 'profile');
      await train({
        recipe: recipe(c.recipe), dataset, seed: 1, epochs: Math.ceil((WARMUP + steps) / (examples / BATCH)), batchSize: BATCH,
        optimizer: { type: 'adamw', lr: 1e-3 }, trainLimit: examples, testLimit: BATCH, checkpointEpochs: false,
        runtime: { deterministic: true, profile: prefix },
      }, NO_STORE);
      const trace = latestProfile(`${prefix}-train`);
      if (!trace) throw new Error('no profile of the training session was written');
      const { runs, byOp, byNode, total } = summariseProfile(readProfile(trace), WARMUP);
      rows.push(`### ${c.label}, batch ${BATCH}: ${total.toFixed(1)} ms of kernel time per step (${runs} steps after ${WARMUP} warm-up steps, 1 thread)`, '');
      rows.push('| op type | ms per step | share |', '|---|---|---|');
      for (const [op, ms] of top(byOp, 8)) rows.push(`| ${op} | ${ms.toFixed(2)} | ${((100 * ms) / total).toFixed(0)} % |`);
      rows.push('', '| node | ms per step |', '|---|---|');
      for (const [node, ms] of top(byNode, 8)) rows.push(`| \`${node}\` | ${ms.toFixed(2)} |`);
      rows.push('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
