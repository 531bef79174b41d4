/**
 * The Guan et al. information measure: glassbox (one batched ONNX graph for all layers, 4 noise
 * draws per step, early stopping) against the reference algorithm in PyTorch (Interpreter.py:
 * one draw per step, 5000 sequential steps; bench/torch/information.py), on the benchmark
 * Transformer (bench/models/transformer.onnx = models.py's Encoder, same weights), both with 2
 * threads. Reports seconds per sentence-layer and how the word rankings (σ) agree.
 *
 * The sentences: the Transformer takes embeddings, so words come from a synthetic vocabulary —
 * 500 rows N(0, 1) · c_w with c_w log-uniform in [0.3, 3]. Uneven norms give the words
 * different, reproducible σ (a LayerNorm after the residual makes a large word robust to
 * noise); with equal norms the σ of an untrained model are all alike and any ranking is noise.
 * s comes from 32 sampled sentences of the same length, scale = 10 × std of the vocabulary.
 *
 *   npm run bench -- information    (INFO_SENTENCES=1 INFO_REPEATS=1: quick; INFO_SAMPLES=8: 8 draws per step)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InformationMeasure } from '../src/analysis/information/measure.js';
import { spearman } from '../src/analysis/information/compare.js';
import { stdOf } from '../src/analysis/information/scale.js';
import type { InformationOptions } from '../src/analysis/information/types.js';
import { loadModel } from '../src/onnx/io.js';
import { Tensor } from '../src/tensor/tensor.js';
import { Random } from '../src/util/random.js';
import { PYTHON, torchAvailable } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const LAYERS = ['/layers.0/norm2/LayerNormalization_output_0', '/layers.1/norm2/LayerNormalization_output_0'];
const D = 64;

export interface Case {
  sentences: Tensor[];
  samples: Tensor[];
  scale: number;
}

/** Sentences of `seq` words from the synthetic vocabulary, and 32 samples for s. */
export function makeCase(seq: number, sentences: number, seed = 1): Case {
  const random = new Random(seed);
  const vocabulary = 500;
  const table = new Float32Array(vocabulary * D);
  for (let w = 0; w < vocabulary; w++) {
    const c = Math.exp(Math.log(0.3) + random.next() * Math.log(10));
    for (let k = 0; k < D; k++) table[w * D + k] = c * random.normal();
  }
  const pick = (): Tensor => {
    const out = new Float32Array(seq * D);
    for (let p = 0; p < seq; p++) {
      const w = random.int(vocabulary);
      out.set(table.subarray(w * D, (w + 1) * D), p * D);
    }
    return Tensor.float32([1, seq, D], out);
  };
  const s = Array.from({ length: sentences }, pick);
  const samples = Array.from({ length: 32 }, pick);
  return { sentences: s, samples, scale: 10 * stdOf(Tensor.float32([vocabulary, D], table)) };
}

export interface ReferenceRun {
  sigma: number[][];
  seconds: number[];
  clean: number[][];
}

/** The PyTorch reference on one sentence, every layer; `depths` index LAYERS. */
export function reference(c: Case, sentence: number, options: { seed?: number; steps?: number; depths?: number[] } = {}): ReferenceRun {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-info-'));
  const path = join(dir, 'case.json');
  const rows = (t: Tensor) => Array.from({ length: t.shape[1]! }, (_, p) => Array.from((t.data as Float32Array).subarray(p * D, (p + 1) * D)));
  writeFileSync(path, JSON.stringify({
    x: rows(c.sentences[sentence]!),
    samples: c.samples.map(rows),
    layers: options.depths ?? LAYERS.map((_, i) => i),
    scale: c.scale,
    steps: options.steps ?? 5000,
    seed: options.seed ?? 0,
  }));
  let out: string;
  try {
    out = execFileSync(PYTHON, [join(HERE, 'torch', 'information.py'), path, '--threads', '2'], { encoding: 'utf8', cwd: join(HERE, 'torch'), maxBuffer: 1 << 26 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const parsed = JSON.parse(out.trim().split('\n').pop()!) as { layers: { sigma: number[]; seconds: number; clean: number[] }[] };
  return { sigma: parsed.layers.map((l) => l.sigma), seconds: parsed.layers.map((l) => l.seconds), clean: parsed.layers.map((l) => l.clean) };
}

export async function measureOurs(measure: InformationMeasure, c: Case, sentence: number, options: InformationOptions = {}): Promise<{ sigma: number[][]; seconds: number; steps: number[] }> {
  const samples = c.samples.map((embeddings) => ({ embeddings }));
  const result = await measure.measure({ embeddings: c.sentences[sentence]! }, { scale: c.scale, samples, ...options });
  return { sigma: result.layers.map((l) => l.sigma), seconds: result.seconds, steps: result.layers.map((l) => l.steps) };
}


const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const spread = (v: number[], digits = 2) => `${median(v).toFixed(digits)} (${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;

export async function benchInformation(): Promise<string[]> {
  const sentences = Number(process.env.INFO_SENTENCES ?? 3);
  const repeats = Number(process.env.INFO_REPEATS ?? 3);
  const options: InformationOptions = process.env.INFO_SAMPLES ? { noiseSamples: Number(process.env.INFO_SAMPLES) } : {};
  const seq = 16;
  const c = makeCase(seq, sentences);
  const withTorch = torchAvailable();
  const created = performance.now();
  const measure = await InformationMeasure.create(loadModel(join(HERE, 'models', 'transformer.onnx')), { input: 'input', layers: LAYERS, runtime: { threads: 2 } });
  // The first measure builds the optimisation graph and its session, reused for every later sentence.
  await measureOurs(measure, c, 0, { steps: 1, earlyStop: false });
  const setup = (performance.now() - created) / 1000;
  const rows = [
    `| sentence (${seq} words) | layer | glassbox s per sentence-layer, median (min–max of ${repeats}) | steps | PyTorch reference s (seed 0, seed 1) | speed-up | Spearman glassbox vs reference (seed 0, 1) | Spearman reference seed 0 vs 1 |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (let s = 0; s < sentences; s++) {
    const runs: Awaited<ReturnType<typeof measureOurs>>[] = [];
    for (let k = 0; k < repeats; k++) runs.push(await measureOurs(measure, c, s, options));
    const seconds = runs.map((r) => r.seconds / LAYERS.length);
    const refs = withTorch ? [reference(c, s, { seed: 0 }), reference(c, s, { seed: 1 })] : [];
    if (refs[0]) {
      const ours = await measure.values({ embeddings: c.sentences[s]! });
      LAYERS.forEach((layer, l) => {
        const a = ours[layer]!.data as Float32Array;
        const worst = refs[0]!.clean[l]!.reduce((m, v, i) => Math.max(m, Math.abs(v - a[i]!)), 0);
        if (worst > 1e-3) throw new Error(`the PyTorch and ONNX models disagree on ${layer} by ${worst}: not the same model`);
      });
    }
    LAYERS.forEach((layer, l) => {
      const sigma = runs[0]!.sigma[l]!;
      const torchSeconds = refs.map((r) => r.seconds[l]!);
      const rho = refs.map((r) => spearman(sigma, r.sigma[l]!).toFixed(3)).join(', ');
      rows.push(`| ${s + 1} | ${l} \`${layer}\` | ${spread(seconds)} | ${runs[0]!.steps[l]} | ${refs.length ? torchSeconds.map((t) => t.toFixed(2)).join(', ') : 'n/a'} | ${refs.length ? `${(median(torchSeconds) / median(seconds)).toFixed(1)}×` : 'n/a'} | ${rho || 'n/a'} | ${refs.length ? spearman(refs[0]!.sigma[l]!, refs[1]!.sigma[l]!).toFixed(3) : 'n/a'} |`);
    });
  }
  await measure.release();
  rows.push('', `glassbox: ${options.noiseSamples ?? 4} noise draws per step, both layers in one batched graph (seconds per sentence-layer = the sentence's optimisation / 2); building the graph and its session once for the model: ${setup.toFixed(2)} s.`);
  if (!withTorch) rows.push('', 'PyTorch columns are n/a: Debian python3-torch is not installed (apt install python3-torch).');
  return rows;
}
