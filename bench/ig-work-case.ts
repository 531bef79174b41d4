/**
 * One benchmark case in its own process (so peak memory is this case's): the work of IG-N on a
 * model, i.e. a batched forward + backward over N interpolation points per input, giving the
 * input gradient of logits[:, target]. Prints one JSON line.
 *
 *   npx tsx bench/ig-work-case.ts <lenet|transformer> <batch> <seq> <steps> [chunk]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/onnx/io.js';
import { GradientSession } from '../src/engine/gradient-session.js';
import { prepareModel } from '../src/engine/prepare.js';
import { targetSeed } from '../src/engine/seeds.js';
import { Tensor } from '../src/tensor/tensor.js';
import { Random } from '../src/util/random.js';
import { peakRssMiB, time } from './util.js';

const [name, batchArg, seqArg, stepsArg, chunkArg] = process.argv.slice(2);
const [batch, seq, steps] = [Number(batchArg), Number(seqArg), Number(stepsArg)];
const shape = name === 'lenet' ? [1, 28, 28] : [seq, 64];
const rowSize = shape.reduce((a, b) => a * b, 1);
const rows = batch * steps;
const chunk = Number(chunkArg) || rows;

const { model } = await prepareModel(loadModel(join(dirname(fileURLToPath(import.meta.url)), 'models', `${name}.onnx`)), { probeOptions: { dims: { seq } } });
const session = await GradientSession.create(model, { of: ['logits'], wrt: ['input'] }, { threads: 2 });
const random = new Random(1);
const inputs = Float32Array.from({ length: batch * rowSize }, () => random.normal());

// All interpolation points α_k · x (baseline zero), k = 0.5/steps … (steps−0.5)/steps.
const scaled = new Float32Array(rows * rowSize);
for (let k = 0; k < steps; k++) {
  const alpha = (k + 0.5) / steps;
  for (let b = 0; b < batch; b++) {
    const row = (k * batch + b) * rowSize;
    for (let i = 0; i < rowSize; i++) scaled[row + i] = alpha * inputs[b * rowSize + i]!;
  }
}

async function work(): Promise<number> {
  let total = 0;
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    const x = new Tensor('float32', [n, ...shape], scaled.subarray(start * rowSize, (start + n) * rowSize));
    const seed = targetSeed([n, 2 + (name === 'lenet' ? 8 : 0)], 'float32', 1);
    const { gradients } = await session.run({ input: x }, { logits: seed });
    for (const v of gradients.input!.data as Float32Array) total += Math.abs(v);
  }
  return total;
}

// Warm up (allocator arenas grow over the first runs), then repeat for about two seconds.
const first = await time(work, { repeats: 1, warmup: 2 });
const timing = await time(work, { repeats: Math.max(5, Math.min(30, Math.ceil(2000 / first.median))), warmup: 1 });
console.log(JSON.stringify({ median_ms: timing.median, min_ms: timing.min, peak_rss_mib: peakRssMiB() }));
await session.release();
