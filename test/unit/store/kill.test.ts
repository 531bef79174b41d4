/**
 * Crash safety: writers killed with SIGKILL at random moments while they write checkpoints in a
 * tight loop, a reader process reading all along. Afterwards every listed checkpoint must load
 * with exactly the contents that were written, and nothing half-written may be visible.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../../src/store/store.js';
import { ROOT } from '../../helpers/fixtures.js';
import { digest, killState } from './kill-common.js';
import { tempDir } from './helpers.js';

const HERE = join(ROOT, 'test', 'unit', 'store');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function start(script: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, script), ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

/** Resolves with the run id once the writer has committed its first checkpoint. */
function ready(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => { err += d; });
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /^run (\S+) \d+\nready\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before it was ready: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.on('exit', () => resolve());
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('kill -9', () => {
  it('leaves a readable store whose every listed checkpoint is intact, with a reader reading throughout', async () => {
    const dir = tempDir('glassbox-kill-');
    dirs.push(dir);
    let runId = 'new';
    let reader: ChildProcess | undefined;
    let readerOut = '';
    let readerErr = '';
    const debris = { temp: 0, orphans: 0, kills: 0 };
    let lastCount = 0;
    for (let round = 0; round < 6; round++) {
      const writer = start('kill-writer.ts', [dir, runId]);
      runId = await ready(writer);
      if (!reader) {
        reader = start('kill-reader.ts', [dir, runId]);
        reader.stdout!.on('data', (d) => { readerOut += d; });
        reader.stderr!.on('data', (d) => { readerErr += d; });
      }
      await sleep(10 + Math.random() * 250);
      writer.kill('SIGKILL');
      await exited(writer);
      debris.kills++;

      // What the killed writer left, before anyone sweeps it.
      const ckptDir = join(dir, 'runs', runId, 'checkpoints');
      const db = new Database(join(dir, 'store.sqlite'), { readonly: true, fileMustExist: true });
      const rows = new Set((db.prepare('SELECT file FROM checkpoints WHERE run = ?').all(runId) as { file: string }[]).map((r) => r.file.split('/').pop()));
      db.close();
      const files = readdirSync(ckptDir);
      debris.temp += files.filter((f) => f.endsWith('.tmp')).length;
      debris.orphans += files.filter((f) => !f.endsWith('.tmp') && !rows.has(f)).length;

      // The store opens and reads right after the kill; the latest checkpoint is whole.
      const store = RunStore.open(dir, { create: false });
      try {
        const list = store.listCheckpoints(runId);
        expect(list.length).toBeGreaterThan(lastCount);
        lastCount = list.length;
        const latest = list[list.length - 1]!.step;
        expect(digest(store.loadCheckpoint(runId, latest))).toBe(digest(killState(latest)));
        expect(store.getRun(runId).interrupted).toBe(true);
        // Opening swept the debris: only complete, listed files remain.
        expect(readdirSync(ckptDir).sort()).toEqual(list.map((c) => `${c.step}.safetensors`).sort());
      } finally {
        store.close();
      }
    }

    reader!.stdin!.end();
    await exited(reader!);
    expect(readerErr).toBe('');
    const summary = JSON.parse(readerOut) as { listings: number; loads: number; errors: string[]; errorCount: number };
    expect(summary.errors).toEqual([]);
    expect(summary.loads).toBeGreaterThan(10);

    const store = RunStore.open(dir, { create: false });
    try {
      const list = store.listCheckpoints(runId);
      expect(list.map((c) => c.step)).toEqual(list.map((_, i) => i + 1));
      for (const c of list) expect(digest(store.loadCheckpoint(runId, c.step)), `step ${c.step}`).toBe(digest(killState(c.step)));
      expect(store.metrics(runId).map((m) => m.step)).toEqual(list.map((c) => c.step));
      expect(store.getRun(runId)).toMatchObject({ status: 'running', interrupted: true, checkpoints: list.length });
      console.log(`kill -9: ${debris.kills} kills, ${list.length} checkpoints, debris swept: ${debris.temp} temp files, ${debris.orphans} complete files without a row; reader: ${summary.listings} listings, ${summary.loads} verified loads, 0 errors`);
    } finally {
      store.close();
    }
  });
});
