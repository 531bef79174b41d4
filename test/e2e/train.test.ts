import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/store/index.js';
import { bin } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';

const ARGS = ['train', '--recipe', 'mlp', '--dataset', 'mnist', '--train-limit', '1500', '--test-limit', '300', '--epochs', '3', '--batch-size', '50', '--checkpoints', 'every:4', '--set', 'hidden=[32]', '--dropout', '0.2', '--seed', '7'];

function finalWeights(store: string, runId: string): Map<string, number[]> {
  const s = RunStore.open(store);
  try {
    return new Map([...s.loadWeights(runId, 'latest')].map(([k, t]) => [k, Array.from(t.data as Float32Array)]));
  } finally {
    s.close();
  }
}

describe('glassbox train', () => {
  it('killed with SIGKILL mid-run, resumes to exactly the uninterrupted result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-train-'));
    const whole = bin([...ARGS, '--store', join(dir, 'a'), '--json']);
    expect(whole.code, whole.stderr).toBe(0);
    const [reference] = JSON.parse(whole.stdout.slice(whole.stdout.indexOf('['))) as { runId: string }[];

    // Start the same run, wait for a few checkpoints, kill -9 it.
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'glassbox.mjs'), ...ARGS, '--store', join(dir, 'b')], { stdio: 'ignore' });
    const store = join(dir, 'b');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        try {
          const s = RunStore.open(store);
          const runs = s.listRuns();
          const n = runs.length ? s.listCheckpoints(runs[0]!.id).length : 0;
          s.close();
          if (n >= 4) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve();
          }
        } catch {
          // the store is not there yet
        }
      }, 20);
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const s = RunStore.open(store);
    const run = s.listRuns()[0]!;
    const beforeResume = s.listCheckpoints(run.id).length;
    s.close();
    expect(beforeResume).toBeGreaterThanOrEqual(4);

    const resumed = bin(['train', '--resume', run.id, '--store', store]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .* from step \d+/);
    const a = finalWeights(join(dir, 'a'), reference!.runId);
    const b = finalWeights(store, run.id);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, values] of a) expect(b.get(name), name).toEqual(values);
  }, 120_000);

  it('--profile prints where each step\'s time went, per op, and keeps both sessions\' traces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-train-profile-'));
    const r = bin(['train', '--recipe', 'cnn', '--dataset', 'mnist', '--train-limit', '960', '--test-limit', '64', '--epochs', '1', '--store', join(dir, 'store'), '--profile', join(dir, 'prof')]);
    expect(r.code, r.stderr).toBe(0);
    // 15 steps: the first 5 are left out as warm-up, so that 10 remain.
    expect(r.stderr).toMatch(/where each training step's time went: [\d.]+ ms in onnxruntime kernels \(mean of 10 steps\)/);
    expect(r.stderr).toMatch(/^ {2}Conv +[\d.]+ ms +\d+ %$/m);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/_[\d_-]+\.json$/, '')).sort()).toEqual(['prof-s1-eval', 'prof-s1-train']);
    // A folder that does not exist is refused before a run is created.
    const bad = bin(['train', '--recipe', 'mlp', '--dataset', 'mnist', '--train-limit', '100', '--store', join(dir, 'store2'), '--profile', join(dir, 'missing', 'prof')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toMatch(/^glassbox: cannot write the profile: folder .*missing does not exist$/);
    const store = RunStore.open(join(dir, 'store2'), { create: true });
    expect(store.listRuns()).toEqual([]);
    store.close();
  }, 60_000);

  it('gives one-line errors for an unknown recipe, dataset or run', () => {
    let r = bin(['train', '--recipe', 'cnnn', '--dataset', 'mnist', '--store', join(tmpdir(), 'glassbox-none')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^glassbox: .*recipe "cnnn".*did you mean "cnn"/);
    r = bin(['train', '--recipe', 'cnn', '--dataset', 'mnistt', '--store', join(tmpdir(), 'glassbox-none')]);
    expect(r.stderr.trim()).toMatch(/^glassbox: .*dataset "mnistt"/);
    r = bin(['train', '--resume', 'nope', '--store', join(tmpdir(), 'glassbox-none')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
