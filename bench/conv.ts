/**
 * Where the MNIST CNN's training time goes, and what a different convolution algorithm buys:
 * the recipe's second convolution (batch 64, 16 → 32 channels, 5×5 "same", 14×14) forward and
 * backward (dx and dw) in one onnxruntime run, as glassbox's gradient rules emit it (Conv,
 * then ConvTranspose and a Conv for the gradients) and as Winograd F(4×4, 5×5) written in
 * standard ops (bench/winograd.ts); PyTorch eager doing the same; and SGEMM rates, PyTorch's
 * (one process alone and two at once: do the two vCPUs share a core?) and onnxruntime's.
 *
 *   npm run bench -- conv
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder } from '../src/onnx/builder.js';
import { Tensor } from '../src/tensor/tensor.js';
import type { GradientSession } from '../src/engine/gradient-session.js';
import { Random } from '../src/util/random.js';
import { Session } from '../src/runtime/session.js';
import { PYTHON, time, torchAvailable } from './util.js';
import { convolutionGradients, type ConvShape } from './winograd.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHAPE: ConvShape = { batch: 64, inChannels: 16, outChannels: 32, size: 14, kernel: 5 };
/** Multiply-adds ×2 of the forward convolution; dx and dw cost the same again each. */
const FLOPS = 2 * SHAPE.batch * SHAPE.outChannels * SHAPE.size ** 2 * SHAPE.inChannels * SHAPE.kernel ** 2;

function feeds() {
  const random = new Random(1);
  const { batch: N, inChannels: Ci, outChannels: Co, size: H, kernel: K } = SHAPE;
  const fill = (shape: number[], scale: number) => Tensor.float32(shape, Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => scale * random.normal()));
  return { x: fill([N, Ci, H, H], 1), w: fill([Co, Ci, K, K], 0.1), r: fill([N, Co, H, H], 1) };
}

/** onnxruntime's SGEMM rate on one thread: a 512×512 by 512×512 MatMul, both operands fed. */
async function ortGemmGflops(): Promise<number> {
  const b = new GraphBuilder();
  b.output(b.op('MatMul', [b.input('a', 'float32', [512, 512]), b.input('b', 'float32', [512, 512])]));
  const s = await Session.create(b.model({ opset: 17 }), { deterministic: true });
  const random = new Random(2);
  const operand = () => Tensor.float32([512, 512], Float32Array.from({ length: 512 * 512 }, () => random.normal()));
  const feeds = { a: operand(), b: operand() };
  const t = await time(() => s.run(feeds), { warmup: 5, repeats: 100 });
  await s.release();
  return (2 * 512 ** 3) / t.median / 1e6;
}

function maxRelativeError(a: Tensor, b: Tensor): number {
  const [p, q] = [a.data as Float32Array, b.data as Float32Array];
  let [err, scale] = [0, 0];
  for (let i = 0; i < p.length; i++) [err, scale] = [Math.max(err, Math.abs(p[i]! - q[i]!)), Math.max(scale, Math.abs(p[i]!))];
  return err / scale;
}

export async function benchConv(): Promise<string[]> {
  const rows = ['| convolution 2 of the MNIST CNN, forward + dx + dw | threads | ms per run (median of 30) | GFLOP/s |', '|---|---|---|---|'];
  const input = feeds();
  const flops = 3 * FLOPS;
  const results: Record<string, Awaited<ReturnType<GradientSession['run']>>> = {};
  for (const threads of [1, 2]) {
    for (const kind of ['direct', 'winograd'] as const) {
      const { session: s } = await convolutionGradients(kind, SHAPE, threads === 1 ? { deterministic: true } : { threads });
      const t = await time(async () => (results[kind] = await s.run(input)), { warmup: 5, repeats: 30 });
      rows.push(`| glassbox, ${kind === 'direct' ? 'Conv / ConvTranspose (the gradient rules)' : 'Winograd F(4×4, 5×5) in standard ops'} | ${threads} | ${t.median.toFixed(2)} | ${(flops / t.median / 1e6).toFixed(0)}${kind === 'winograd' ? ' (direct-equivalent)' : ''} |`);
      await s.release();
    }
  }
  if (torchAvailable()) {
    const out = JSON.parse(execFileSync(PYTHON, [join(HERE, 'torch', 'conv.py'), JSON.stringify(SHAPE)], { encoding: 'utf8' }).trim().split('\n').pop()!) as { conv: Record<string, number>; gemm: { alone: number; together: number[] } };
    for (const [threads, ms] of Object.entries(out.conv)) rows.push(`| PyTorch eager (oneDNN) | ${threads} | ${ms.toFixed(2)} | ${(flops / ms / 1e6).toFixed(0)} |`);
    rows.push('', `SGEMM 512×512×512 in PyTorch at 1 thread: ${out.gemm.alone.toFixed(0)} GFLOP/s alone; two processes at once: ${out.gemm.together.map((g) => g.toFixed(0)).join(' and ')} GFLOP/s.`);
  }
  rows.push('', `SGEMM 512×512×512 in onnxruntime (MatMul) at 1 thread: ${(await ortGemmGflops()).toFixed(0)} GFLOP/s.`);
  const { x, w } = { x: maxRelativeError(results.direct!.gradients.x!, results.winograd!.gradients.x!), w: maxRelativeError(results.direct!.gradients.w!, results.winograd!.gradients.w!) };
  rows.push('', `Winograd against direct, max |difference| / max |direct|: dx ${x.toExponential(1)}, dw ${w.toExponential(1)}.`);
  return rows;
}

