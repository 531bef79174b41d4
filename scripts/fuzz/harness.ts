import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mutate } from './mutate.js';
import type { Outcome } from './target.js';

export interface FuzzOptions {
  corpus: string[];
  cases: number;
  /** First seed (cases use seeds first .. first+cases-1). */
  first?: number;
  /** Seconds a case may take before it counts as a hang. */
  timeout?: number;
  workers?: number;
  /** Where to save the bytes of failing cases. */
  saveDir?: string;
  onCase?: (done: number) => void;
}

export interface FuzzFailure {
  seed: number;
  kind: 'crash' | 'hang' | 'bug';
  mutation?: string;
  corpus?: string;
  detail: string;
}

export interface FuzzReport {
  cases: number;
  ok: number;
  rejected: number;
  byCode: Record<string, number>;
  failures: FuzzFailure[];
}

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');

/** Runs cases in child processes; a crash or hang kills only the worker, which is restarted. */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { cases: 0, ok: 0, rejected: 0, byCode: {}, failures: [] };
  const first = options.first ?? 0;
  let next = first;
  const end = first + options.cases;
  const timeoutMs = (options.timeout ?? 20) * 1000;

  const runWorker = async (): Promise<void> => {
    while (next < end) {
      const child = await startWorker(options.corpus);
      // Feed this worker until it dies or the cases run out.
      const died = await new Promise<boolean>((resolve) => {
        let current: number | undefined;
        let timer: NodeJS.Timeout | undefined;
        const send = (): void => {
          if (next >= end) {
            resolve(false);
            return;
          }
          current = next++;
          timer = setTimeout(() => {
            record({ seed: current!, kind: 'hang', detail: `no answer within ${timeoutMs / 1000} s` });
            child.kill('SIGKILL');
          }, timeoutMs);
          child.send({ seed: current });
        };
        child.on('message', (m: { seed: number; mutation: string; corpus: string; outcome: Outcome }) => {
          clearTimeout(timer);
          current = undefined;
          count(m);
          send();
        });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (current !== undefined && !report.failures.some((f) => f.seed === current)) {
            record({ seed: current, kind: 'crash', detail: `worker exited (code ${code}, signal ${signal})` });
          }
          resolve(true);
        });
        send();
      });
      if (!died) {
        child.kill();
        return;
      }
    }
  };

  const count = (m: { seed: number; mutation: string; corpus: string; outcome: Outcome }): void => {
    report.cases++;
    options.onCase?.(report.cases);
    if (m.outcome.kind === 'ok') report.ok++;
    else if (m.outcome.kind === 'rejected') {
      report.rejected++;
      report.byCode[m.outcome.code] = (report.byCode[m.outcome.code] ?? 0) + 1;
    } else report.failures.push({ seed: m.seed, kind: 'bug', mutation: m.mutation, corpus: m.corpus, detail: m.outcome.message });
  };
  const record = (failure: FuzzFailure): void => {
    report.cases++;
    options.onCase?.(report.cases);
    report.failures.push(failure);
  };

  await Promise.all(Array.from({ length: options.workers ?? 2 }, runWorker));
  if (options.saveDir) saveFailures(report.failures, options);
  return report;
}

function startWorker(corpus: string[]): Promise<ChildProcess> {
  const child = fork(WORKER, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, GLASSBOX_FUZZ_CORPUS: JSON.stringify(corpus) },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
  });
}

/** Writes each failing case's bytes so it can be replayed with `glassbox inspect`. */
function saveFailures(failures: FuzzFailure[], options: FuzzOptions): void {
  mkdirSync(options.saveDir!, { recursive: true });
  const files = options.corpus.map((p) => readFileSync(p));
  for (const f of failures) {
    const file = files[f.seed % files.length]!;
    const donor = files[(f.seed * 7 + 3) % files.length]!;
    const name = `${f.kind}-${f.seed}-${basename(options.corpus[f.seed % files.length]!, '.onnx')}.onnx`;
    writeFileSync(join(options.saveDir!, name), mutate(file, f.seed, donor).bytes);
  }
}
