/**
 * Where a training step's time goes inside onnxruntime: the trainer runs with onnxruntime's
 * profiler on (RuntimeOptions.profile), and the training session's trace is summed per op type
 * and per node over the steps after the warm-up, at one thread (the CLI's default).
 *
 *   npm run bench -- profile      (PROFILE_STEPS=50 by default)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../src/data/index.js';
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

interface TraceEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

/** Kernel milliseconds per step by op type and by node, over the runs after the warm-up. */
export function summariseTrace(events: readonly TraceEvent[], warmup: number): { steps: number; byOp: Map<string, number>; byNode: Map<string, number> } {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').map((e) => e.ts).sort((a, b) => a - b);
  const from = runs[warmup] ?? Infinity;
  const steps = runs.length - warmup;
  const byOp = new Map<string, number>();
  const byNode = new Map<string, number>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < from) continue;
    const [op, node] = [e.args?.op_name ?? '?', e.name.slice(0, -'_kernel_time'.length)];
    byOp.set(op, (byOp.get(op) ?? 0) + e.dur / 1000 / steps);
    byNode.set(`${op} ${node}`, (byNode.get(`${op} ${node}`) ?? 0) + e.dur / 1000 / steps);
  }
  return { steps, byOp, byNode };
}

const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);

export async function benchProfile(): Promise<string[]> {
  const steps = Number(process.env.PROFILE_STEPS ?? 50);
  const rows: string[] = [];
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-profile-'));
    try {
      const dataset = loadDataset(c.dataset);
      const examples = Math.min(BATCH * (WARMUP + steps), Math.floor(dataset.train.size / BATCH) * BATCH);
      await train({
        recipe: recipe(c.recipe), dataset, seed: 1, epochs: Math.ceil((WARMUP + steps) / (examples / BATCH)), batchSize: BATCH,
        optimizer: { type: 'adamw', lr: 1e-3 }, trainLimit: examples, testLimit: BATCH, checkpointEpochs: false,
        runtime: { deterministic: true, profile: join(dir, 'session') },
      }, NO_STORE);
      // One trace per session: the training graph is the one with gradient nodes.
      const traces = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TraceEvent[]);
      const trace = traces.find((events) => events.some((e) => e.cat === 'Node' && e.name.includes('_Grad')));
      if (!trace) throw new Error('no profile of the training session was written');
      const { steps: counted, byOp, byNode } = summariseTrace(trace, WARMUP);
      const total = [...byOp.values()].reduce((a, b) => a + b, 0);
      rows.push(`### ${c.label}, batch ${BATCH}: ${total.toFixed(1)} ms of kernel time per step (${counted} steps after ${WARMUP} warm-up steps, 1 thread)`, '');
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
