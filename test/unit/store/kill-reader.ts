/**
 * Child process of the kill -9 test: reads a store while writers write into it and get killed.
 * `node --import tsx kill-reader.ts <store> <run id>`; reads until its stdin closes, then prints
 * a JSON summary: how many checkpoints it verified and every inconsistency it saw.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { RunStore } from '../../../src/store/store.js';
import { digest, killState } from './kill-common.js';

const [dir, runId] = process.argv.slice(2) as [string, string];
let stop = false;
process.stdin.on('end', () => { stop = true; }).resume();

const store = RunStore.open(dir, { create: false });
const errors: string[] = [];
let loads = 0;
let listings = 0;
let previous: number[] = [];
while (!stop) {
  try {
    const steps = store.listCheckpoints(runId).map((c) => c.step);
    listings++;
    // Checkpoints only ever appear: every step seen before is still there, in order, 1 … n.
    if (steps.some((s, i) => s !== i + 1)) errors.push(`steps not 1..n: ${steps.slice(0, 5).join(',')}…`);
    if (steps.length < previous.length) errors.push(`checkpoints went from ${previous.length} to ${steps.length}`);
    previous = steps;
    const pick = steps.length ? [steps[steps.length - 1]!, steps[Math.floor(Math.random() * steps.length)]!] : [];
    for (const step of pick) {
      const state = store.loadCheckpoint(runId, step);
      if (digest(state) !== digest(killState(step))) errors.push(`checkpoint ${step} has other contents`);
      loads++;
    }
    const metrics = store.metrics(runId);
    if (metrics.some((m, i) => i > 0 && m.step <= metrics[i - 1]!.step)) errors.push('metrics out of order');
  } catch (error) {
    errors.push((error as Error).message);
  }
  await yieldToLoop();
}
store.close();
process.stdout.write(`${JSON.stringify({ listings, loads, errors: errors.slice(0, 10), errorCount: errors.length })}\n`);
