/**
 * Integrated Gradients end to end (`npm run bench -- ig`): glassbox's IntegratedGradients
 * (public API, default 512 MiB memory budget, Gauss–Legendre, convergence delta) against the
 * same algorithm in PyTorch (bench/torch/ig.py: Captum's, written out), on the same models and
 * inputs, 2 threads each, every case in a fresh process so that peak RSS is its own. PyTorch
 * runs twice: all points in one batch (Captum's default, internal_batch_size=None) and in
 * chunks of as many rows as glassbox's memory budget chose (Captum's internal_batch_size).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IG_CASES, PYTHON, torchAvailable } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));

interface Result { median_ms: number; min_ms: number; peak_rss_mib: number; rows_per_run?: number; max_abs_delta: number }


function run(command: string, args: string[], cwd: string): Result {
  const out = execFileSync(command, args, { encoding: 'utf8', cwd, maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

const ours = (c: (typeof IG_CASES)[number], steps: number): Result =>
  run(process.execPath, ['--import', 'tsx', join(HERE, 'ig-case.ts'), c.model, String(c.batch), String(c.seq), String(steps)], HERE);

const torch = (c: (typeof IG_CASES)[number], steps: number, chunk = 0): Result =>
  run(PYTHON, [join(HERE, 'torch', 'ig.py'), c.model, '--batch', String(c.batch), '--seq', String(c.seq), '--steps', String(steps), '--chunk', String(chunk)], join(HERE, 'torch'));

const ms = (r: Result): string => (r.median_ms >= 1000 ? `${(r.median_ms / 1000).toFixed(2)} s` : `${r.median_ms.toFixed(1)} ms`);
const mib = (r: Result): string => `${r.peak_rss_mib.toFixed(0)} MiB`;

export async function benchIg(stepsList: readonly number[] = [50, 200]): Promise<string[]> {
  const withTorch = torchAvailable();
  const rows = [
    '| case | steps | glassbox | PyTorch, one batch | PyTorch, same chunks | speed-up (one batch / chunks) | glassbox peak RSS | PyTorch peak RSS (one batch / chunks) | rows per run |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const steps of stepsList) {
    for (const c of IG_CASES) {
      const a = ours(c, steps);
      const whole = withTorch ? torch(c, steps) : undefined;
      const chunked = withTorch && a.rows_per_run! < c.batch * steps ? torch(c, steps, a.rows_per_run) : whole;
      const speed = whole && chunked ? `${(whole.median_ms / a.median_ms).toFixed(1)}× / ${(chunked.median_ms / a.median_ms).toFixed(1)}×` : 'n/a';
      rows.push(`| ${c.label} | ${steps} | ${ms(a)} | ${whole ? ms(whole) : 'n/a'} | ${chunked ? ms(chunked) : 'n/a'} | ${speed} | ${mib(a)} | ${whole && chunked ? `${mib(whole)} / ${mib(chunked)}` : 'n/a'} | ${a.rows_per_run} of ${c.batch * steps} |`);
      console.error(rows.at(-1));
    }
  }
  if (!withTorch) rows.push('', 'PyTorch columns are n/a: Debian python3-torch is not installed (apt install python3-torch).');
  return rows;
}
