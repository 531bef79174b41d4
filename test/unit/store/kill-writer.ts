/**
 * Child process of the kill -9 test: writes checkpoints into a store in a tight loop until it
 * is killed. `node --import tsx kill-writer.ts <store> <run id | new>`; prints the run id, then
 * "ready" once its first checkpoint is in.
 */
import { RunStore } from '../../../src/store/store.js';
import { killGraph, killState } from './kill-common.js';

const [dir, which] = process.argv.slice(2) as [string, string];
const store = RunStore.open(dir);
let runId = which;
let step = 1;
if (which === 'new') {
  runId = store.startRun({ config: { recipe: 'kill', dataset: 'test' }, graph: killGraph(), seed: 1 });
} else {
  step = (store.resumeRun(runId)?.step ?? 0) + 1;
}
process.stdout.write(`run ${runId} ${step}\n`);
const deadline = Date.now() + 30_000;
for (let first = true; Date.now() < deadline; step++, first = false) {
  store.writeCheckpoint(runId, { step, epoch: 0, lr: 0.1, trainLoss: 1 / step }, killState(step));
  if (first) process.stdout.write('ready\n');
}
store.finishRun(runId, 'completed');
