/** Small helpers for benchmark scripts (never used by tests). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's python3, which has python3-torch when it is installed. */
export const PYTHON = '/usr/bin/python3';

/** Whether PyTorch can run here (the comparison columns say n/a otherwise). */
export function torchAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The attribution benchmark cases: bench/models/{lenet,transformer}.onnx at these sizes. */
export const IG_CASES: readonly { label: string; model: 'lenet' | 'transformer'; batch: number; seq: number }[] = [
  { label: 'LeNet CNN, batch 1', model: 'lenet', batch: 1, seq: 0 },
  { label: 'LeNet CNN, batch 32', model: 'lenet', batch: 32, seq: 0 },
  { label: 'Transformer d64 ×2, seq 32', model: 'transformer', batch: 1, seq: 32 },
  { label: 'Transformer d64 ×2, seq 128', model: 'transformer', batch: 1, seq: 128 },
  { label: 'Transformer d64 ×2, seq 512', model: 'transformer', batch: 1, seq: 512 },
];

export interface Timing {
  /** Median milliseconds over the repeats. */
  median: number;
  min: number;
  repeats: number;
}

export async function time(fn: () => unknown, options: { repeats?: number; warmup?: number } = {}): Promise<Timing> {
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < (options.repeats ?? 5); i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, min: samples[0]!, repeats: samples.length };
}

export function ms(t: Timing): string {
  return `${t.median.toFixed(1)} ms`;
}

/** Peak resident set size of this process so far, in MiB (Linux). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
