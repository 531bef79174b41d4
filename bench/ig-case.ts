/**
 * One benchmark case in its own process (so peak memory is this case's): Integrated Gradients
 * through the public API — IntegratedGradients on an Explainable with its default memory budget
 * (512 MiB of intermediate values per run), Gauss–Legendre, convergence delta — on a random input.
 * Prints one JSON line with the time, the peak RSS and the rows per run the budget chose.
 *
 *   npx tsx bench/ig-case.ts <lenet|transformer> <batch> <seq> <steps>
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Explainable, IntegratedGradients, loadModel, Tensor } from '../src/public/index.js';
import { Random } from '../src/util/random.js';
import { peakRssMiB, time } from './util.js';

const [name, batchArg, seqArg, stepsArg] = process.argv.slice(2);
const [batch, seq, steps] = [Number(batchArg), Number(seqArg), Number(stepsArg)];
const shape = name === 'lenet' ? [1, 28, 28] : [seq, 64];
const model = loadModel(join(dirname(fileURLToPath(import.meta.url)), 'models', `${name}.onnx`));
const explainable = await Explainable.create(model, { runtime: { threads: 2 }, probe: { dims: { seq } } });
const random = new Random(1);
const x = Tensor.float32([batch, ...shape], Float32Array.from({ length: batch * shape.reduce((a, b) => a * b, 1) }, () => random.normal()));
const ig = new IntegratedGradients(explainable);

let delta = 0;
const work = async (): Promise<void> => {
  const result = await ig.attribute(x, { target: 1, nSteps: steps, returnConvergenceDelta: true });
  delta = Math.max(...Array.from(result.delta!, Math.abs));
};
const first = await time(work, { repeats: 1, warmup: 1 });
const timing = await time(work, { repeats: Math.max(3, Math.min(20, Math.ceil(3000 / first.median))), warmup: 0 });
console.log(JSON.stringify({ median_ms: timing.median, min_ms: timing.min, peak_rss_mib: peakRssMiB(), rows_per_run: await explainable.rowsPerRun(x), max_abs_delta: delta }));
await explainable.release();
