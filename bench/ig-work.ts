/**
 * The work of Integrated Gradients with 50 steps: one batched forward + backward over 50
 * interpolation points per input, giving input gradients. glassbox (onnxruntime-node, our
 * backward graphs) against PyTorch autograd (Debian python3-torch) on the same model and
 * machine, both with 2 threads; each case runs in a fresh process so peak memory is its own.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IG_CASES, PYTHON, torchAvailable } from './util.js';

const HERE = dirname(fileURLToPath(import.meta.url));

interface Result { median_ms: number; min_ms: number; peak_rss_mib: number }



function ours(model: string, batch: number, seq: number, steps: number): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'ig-work-case.ts'), model, String(batch), String(seq), String(steps)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

function torch(model: string, batch: number, seq: number, steps: number): Result {
  const out = execFileSync(PYTHON, [join(HERE, 'torch', 'ig_work.py'), model, '--batch', String(batch), '--seq', String(seq), '--steps', String(steps), '--threads', '2'], { encoding: 'utf8', cwd: join(HERE, 'torch') });
  return JSON.parse(out.trim().split('\n').pop()!) as Result;
}

export async function benchIgWork(steps = 50): Promise<string[]> {
  const withTorch = torchAvailable();
  const rows = [
    `| case (IG-${steps} work: ${steps} points per input, forward + backward) | glassbox | PyTorch | speed-up | glassbox peak RSS | PyTorch peak RSS |`,
    '|---|---|---|---|---|---|',
  ];
  for (const c of IG_CASES) {
    const a = ours(c.model, c.batch, c.seq, steps);
    const b = withTorch ? torch(c.model, c.batch, c.seq, steps) : undefined;
    rows.push(`| ${c.label} | ${a.median_ms.toFixed(1)} ms | ${b ? `${b.median_ms.toFixed(1)} ms` : 'n/a'} | ${b ? `${(b.median_ms / a.median_ms).toFixed(1)}×` : 'n/a'} | ${a.peak_rss_mib.toFixed(0)} MiB | ${b ? `${b.peak_rss_mib.toFixed(0)} MiB` : 'n/a'} |`);
  }
  if (!withTorch) rows.push('', 'PyTorch columns are n/a: Debian python3-torch is not installed (apt install python3-torch).');
  return rows;
}
