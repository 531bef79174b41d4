import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { readWeights } from '../../../src/onnx/edit/weights.js';
import { RunStore } from '../../../src/store/store.js';
import { baseRunId, slugify } from '../../../src/store/ids.js';
import { loadSafetensors } from '../../../src/store/safetensors.js';
import { MIGRATIONS, SCHEMA_VERSION, schemaVersion } from '../../../src/store/schema.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { tempDir, tinyGraph, tinyState, tinyWeights } from './helpers.js';

const open: RunStore[] = [];
function openStore(dir = tempDir(), options = {}): RunStore {
  const store = RunStore.open(dir, options);
  open.push(store);
  return store;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect((error as Error).name).toBe('GlassboxError');
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

const config = { recipe: 'tiny', dataset: 'toy', epochs: 2, lr: 0.1 };

function trainedRun(store: RunStore, steps = [0, 10, 20], seed = 1): string {
  const id = store.startRun({ config, graph: tinyGraph(), seed });
  for (const step of steps) {
    store.writeCheckpoint(id, { step, epoch: step / 10, lr: 0.1, trainLoss: 1 / (step + 1), testAccuracy: 0.5 + step / 100 }, tinyState(step));
  }
  store.writeMetrics(id, { step: 5, epoch: 0.5, lr: 0.1, trainLoss: 0.3 });
  store.finishRun(id, 'completed');
  return id;
}

describe('RunStore', () => {
  it('creates the store: WAL, foreign keys, busy timeout, schema version, directories', () => {
    const dir = tempDir();
    const store = openStore(dir);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(10_000);
    expect(schemaVersion(store.db)).toBe(SCHEMA_VERSION);
    expect(existsSync(join(dir, 'store.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'runs'))).toBe(true);
    expect(store.listRuns()).toEqual([]);
  });

  it('refuses a missing store when asked not to create one', () => {
    expect(message(() => RunStore.open(join(tempDir(), 'nothing'), { create: false }))).toMatch(/^no run store in .*nothing \(no such directory\)/);
    expect(message(() => RunStore.open(tempDir(), { create: false }))).toMatch(/it has no store\.sqlite/);
  });

  it('refuses a file that is not a database', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'store.sqlite'), 'this is not sqlite at all, not even close'.repeat(50));
    expect(message(() => RunStore.open(dir))).toMatch(/store\.sqlite: cannot open the run store \(not a glassbox store or corrupt/);
  });

  it('records a run, its checkpoints and metrics, and reads them back', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const id = trainedRun(store);
    expect(id).toMatch(/^\d{8}-\d{4}-toy-tiny-s1$/);
    expect(readdirSync(join(dir, 'runs', id)).sort()).toEqual(['checkpoints', 'graph.onnx']);
    expect(readdirSync(join(dir, 'runs', id, 'checkpoints')).sort()).toEqual(['0.safetensors', '10.safetensors', '20.safetensors']);

    const [run] = store.listRuns();
    expect(run).toMatchObject({ id, name: 'tiny', recipe: 'tiny', dataset: 'toy', status: 'completed', seed: 1, config, interrupted: false, steps: 20, checkpoints: 3, bestTestAccuracy: 0.7 });
    expect(run!.finished).toBeDefined();
    expect(store.getRun(id)).toEqual(run);

    expect(store.listCheckpoints(id).map((c) => [c.step, c.epoch, c.metrics?.testAccuracy])).toEqual([[0, 0, 0.5], [10, 1, 0.6], [20, 2, 0.7]]);
    expect(store.latestCheckpoint(id)!.step).toBe(20);
    expect(store.getCheckpoint(id, 'latest').step).toBe(20);
    expect(store.metrics(id).map((m) => m.step)).toEqual([0, 5, 10, 20]);
    expect(store.metrics(id)[1]).toEqual({ step: 5, epoch: 0.5, lr: 0.1, trainLoss: 0.3 });

    const state = store.loadCheckpoint(id, 10);
    const expected = tinyState(10);
    expect([...state.weights.keys()].sort()).toEqual(['fc.bias', 'fc.weight']);
    expect(state.weights.get('fc.weight')!.data).toEqual(expected.weights.get('fc.weight')!.data);
    expect(state.optimizer.get('momentum/fc.bias')!.data).toEqual(expected.optimizer.get('momentum/fc.bias')!.data);
    expect(state.resume).toEqual(expected.resume);

    // The checkpoint file is self-contained: weights, optimizer slots, resume state, metrics.
    const file = loadSafetensors(join(dir, 'runs', id, 'checkpoints', '10.safetensors'));
    expect([...file.tensors.keys()].sort()).toEqual(['fc.bias', 'fc.weight', 'optimizer/momentum/fc.bias', 'optimizer/momentum/fc.weight']);
    expect(JSON.parse(file.metadata['glassbox.resume']!)).toEqual(expected.resume);
    expect(JSON.parse(file.metadata['glassbox.metrics']!).step).toBe(10);

    const model = store.checkpointModel(id, 20);
    expect(readWeights(model).get('fc.bias')!.data).toEqual(tinyWeights(20).get('fc.bias')!.data);
    expect(readWeights(store.graph(id)).get('fc.bias')!.data).toEqual(tinyWeights(0).get('fc.bias')!.data);
  });

  it('merges metrics logged for a checkpoint step instead of losing fields', () => {
    const store = openStore();
    const id = store.startRun({ config, graph: tinyGraph(), seed: 2 });
    store.writeMetrics(id, { step: 10, epoch: 1, lr: 0.1, trainLoss: 0.5, trainAccuracy: 0.9 });
    store.writeCheckpoint(id, { step: 10, epoch: 1, lr: 0.1, testAccuracy: 0.8 }, tinyState(10));
    expect(store.metrics(id)).toEqual([{ step: 10, epoch: 1, lr: 0.1, trainLoss: 0.5, trainAccuracy: 0.9, testAccuracy: 0.8 }]);
  });

  it('gives ids that are sortable, human-readable and unique', () => {
    const date = new Date(Date.UTC(2026, 10, 21, 20, 40, 59));
    expect(baseRunId({ date, name: 'x', recipe: 'cnn', dataset: 'mnist', seed: 1 })).toBe('20261121-2040-mnist-cnn-s1');
    expect(baseRunId({ date, name: 'My BERT (fine-tuned)!' })).toBe('20261121-2040-my-bert-fine-tuned');
    expect(slugify('---')).toBe('run');
    const store = openStore();
    const a = store.startRun({ config, graph: tinyGraph(), seed: 1 });
    const b = store.startRun({ config, graph: tinyGraph(), seed: 1 });
    const c = store.startRun({ config, graph: tinyGraph(), seed: 1 });
    expect(b).toBe(`${a}-2`);
    expect(c).toBe(`${a}-3`);
    expect([a, b, c].sort()).toEqual([a, b, c]);
    expect(store.listRuns().map((r) => r.id)).toEqual([a, b, c]);
  });

  it('explains unknown runs and checkpoints in one line', () => {
    const dir = tempDir();
    const store = openStore(dir);
    expect(message(() => store.getRun('nope'))).toBe(`no run "nope": the store ${dir} has no runs`);
    const id = trainedRun(store);
    expect(message(() => store.getRun(id.slice(0, -1) + '9'))).toMatch(new RegExp(`^no run ".*" in .* \\(did you mean "${id}"\\?\\)$`));
    expect(message(() => store.getRun('zzzzzz'))).toMatch(/see glassbox runs list/);
    expect(message(() => store.getCheckpoint(id, 15))).toBe(`run ${id} has no checkpoint at step 15 (checkpoints at steps 0, 10, 20)`);
    expect(message(() => store.loadCheckpoint(id, 99))).toMatch(/checkpoints at steps 0, 10, 20/);
    expect(store.resolveRun(id.slice(0, 16)).id).toBe(id);
    trainedRun(store, [1], 2);
    expect(message(() => store.resolveRun(id.slice(0, 14)))).toMatch(/matches 2 runs/);
    const empty = store.startRun({ config, graph: tinyGraph(), seed: 3 });
    expect(message(() => store.getCheckpoint(empty, 'latest'))).toBe(`run ${empty} has no checkpoints yet`);
  });

  it('detects corrupt checkpoint files', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const id = trainedRun(store);
    const path = join(dir, 'runs', id, 'checkpoints', '10.safetensors');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 5));
    expect(message(() => store.loadCheckpoint(id, 10))).toMatch(/10\.safetensors: corrupt safetensors file: tensor ".*" has data_offsets .* truncated file/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1] ^= 0x40;
    writeFileSync(path, flipped);
    expect(message(() => store.loadCheckpoint(id, 10))).toMatch(/10\.safetensors: corrupt checkpoint file: its checksum differs/);
    writeFileSync(path, bytes);
    expect(store.loadCheckpoint(id, 10).weights.size).toBe(2);
  });

  it('refuses a graph that is not ONNX, weights that do not fit the graph, and optimizer-like weight names', () => {
    const store = openStore();
    expect(() => store.startRun({ config, graph: new Uint8Array([1, 2, 3]), seed: 1 })).toThrow(/the run graph/);
    expect(store.listRuns()).toEqual([]);
    const id = store.startRun({ config, graph: tinyGraph(), seed: 1 });
    store.writeCheckpoint(id, { step: 1, epoch: 0, lr: 1 }, { weights: new Map([['fc.weight', Tensor.float32([3, 4])]]), optimizer: new Map(), resume: {} });
    expect(message(() => store.checkpointModel(id, 1))).toMatch(/weight "fc.weight" is float32\[4, 3\] in the model but float32\[3, 4\]/);
    expect(message(() => store.writeCheckpoint(id, { step: 2, epoch: 0, lr: 1 }, { weights: new Map([['optimizer/x', Tensor.float32([1])]]), optimizer: new Map(), resume: {} })))
      .toMatch(/clashes with the "optimizer\/" names/);
  });

  it('resumes a run: claims it, drops metrics logged after the last checkpoint', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const id = store.startRun({ config, graph: tinyGraph(), seed: 1 });
    store.writeCheckpoint(id, { step: 10, epoch: 1, lr: 0.1 }, tinyState(10));
    store.writeMetrics(id, { step: 15, epoch: 1.5, lr: 0.1 });
    store.finishRun(id, 'failed', 'out of memory');
    expect(store.getRun(id)).toMatchObject({ status: 'failed', message: 'out of memory' });
    store.close();

    const again = openStore(dir);
    expect(again.resumeRun(id)!.step).toBe(10);
    expect(again.getRun(id)).toMatchObject({ status: 'running', interrupted: false });
    expect(again.getRun(id).message).toBeUndefined();
    expect(again.metrics(id).map((m) => m.step)).toEqual([10]);
    again.writeCheckpoint(id, { step: 20, epoch: 2, lr: 0.1 }, tinyState(20));
    again.finishRun(id, 'completed');
    expect(again.listCheckpoints(id).map((c) => c.step)).toEqual([10, 20]);
  });

  it('shows runs whose writer died as interrupted, and sweeps what it left behind', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const id = store.startRun({ config, graph: tinyGraph(), seed: 1 });
    store.writeCheckpoint(id, { step: 1, epoch: 0, lr: 0.1 }, tinyState(1));
    store.close();
    const ckpts = join(dir, 'runs', id, 'checkpoints');
    // A writer (pid 2^22 + 1: above Linux's pid_max default, so never alive) killed mid-write:
    const dead = 4_194_305;
    new Database(join(dir, 'store.sqlite')).prepare('UPDATE runs SET writer_pid = ? WHERE id = ?').run(dead, id);
    writeFileSync(join(ckpts, `.2.safetensors.${dead}.1.tmp`), 'half a file');
    writeFileSync(join(ckpts, '3.safetensors'), 'a complete file whose row never made it');
    writeFileSync(join(ckpts, `.4.safetensors.${process.pid}.99.tmp`), 'a live writer\'s file');
    writeFileSync(join(dir, 'runs', id, `.graph.onnx.${dead}.7.tmp`), 'x');

    const reader = openStore(dir);
    expect(readdirSync(ckpts).sort()).toEqual([`.4.safetensors.${process.pid}.99.tmp`, '1.safetensors']);
    expect(readdirSync(join(dir, 'runs', id)).sort()).toEqual(['checkpoints', 'graph.onnx']);
    expect(reader.getRun(id)).toMatchObject({ status: 'running', interrupted: true });
    expect(reader.listCheckpoints(id).map((c) => c.step)).toEqual([1]);
  });

  it('sweeps the folder of a run whose row is gone (a deletion killed between its rows and its files)', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const [kept, deleted] = [trainedRun(store, [0], 1), trainedRun(store, [0], 2)];
    new Database(join(dir, 'store.sqlite')).prepare('DELETE FROM runs WHERE id = ?').run(deleted);
    expect(existsSync(join(dir, 'runs', deleted))).toBe(true);
    const reader = openStore(dir);
    expect(readdirSync(join(dir, 'runs'))).toEqual([kept]);
    expect(reader.listRuns().map((r) => r.id)).toEqual([kept]);
  });

  it('keeps a live writer\'s files: a complete file without its row yet is not swept', () => {
    const dir = tempDir();
    const writer = openStore(dir);
    const id = writer.startRun({ config, graph: tinyGraph(), seed: 1 });
    const pending = join(dir, 'runs', id, 'checkpoints', '7.safetensors');
    writeFileSync(pending, 'renamed into place, row not yet inserted');
    openStore(dir);
    expect(existsSync(pending)).toBe(true);
  });

  it('stores analysis results keyed by run, checkpoint, kind and params', () => {
    const store = openStore();
    const id = trainedRun(store);
    const a = store.putAnalysis({ run: id, step: 10, kind: 'cka', params: { layer: 'fc', samples: 100 }, result: { value: 0.5 } });
    expect(a).toMatchObject({ run: id, step: 10, kind: 'cka', result: { value: 0.5 } });
    // Params match regardless of key order; putting again replaces.
    expect(store.getAnalysis(id, 'cka', { step: 10, params: { samples: 100, layer: 'fc' } })!.result).toEqual({ value: 0.5 });
    store.putAnalysis({ run: id, step: 10, kind: 'cka', params: { samples: 100, layer: 'fc' }, result: { value: 0.75 } });
    store.putAnalysis({ run: id, step: 20, kind: 'cka', params: { layer: 'fc', samples: 100 }, result: { value: 0.9 } });
    store.putAnalysis({ run: id, kind: 'summary', result: [1, 2, 3] });
    expect(store.getAnalysis<{ value: number }>(id, 'cka', { step: 10, params: { layer: 'fc', samples: 100 } })!.result.value).toBe(0.75);
    expect(store.getAnalysis(id, 'cka', { step: 10, params: { layer: 'other' } })).toBeUndefined();
    expect(store.getAnalysis(id, 'summary')!.result).toEqual([1, 2, 3]);
    expect(store.getAnalysis(id, 'summary')!.step).toBeUndefined();
    expect(store.listAnalyses(id).map((r) => [r.kind, r.step])).toEqual([['cka', 10], ['cka', 20], ['summary', undefined]]);
    expect(store.listAnalyses(id, { kind: 'cka', step: 20 }).map((r) => r.result)).toEqual([{ value: 0.9 }]);
    expect(message(() => store.putAnalysis({ run: id, step: 11, kind: 'cka', result: 1 }))).toMatch(/no checkpoint at step 11/);
    expect(message(() => store.listAnalyses('nope'))).toMatch(/no run "nope"/);
    store.deleteRun(id);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM analyses').get()).toEqual({ n: 0 });
  });

  it('refuses to delete a run another live process is training, and deletes it once that writer is gone', () => {
    const dir = tempDir();
    const writer = openStore(dir);
    const id = writer.startRun({ config, graph: tinyGraph(), seed: 1 });
    writer.writeCheckpoint(id, { step: 1, epoch: 0, lr: 0.1 }, tinyState(1));
    // Another process's view: this process is alive and writing the run.
    const other = openStore(dir);
    expect(message(() => other.deleteRun(id, { refuseLive: true }))).toMatch(new RegExp(`run ${id} is being trained right now \\(process ${process.pid}\\); stop it or let it finish first`));
    expect(other.listRuns().map((r) => r.id)).toEqual([id]);
    // A dead writer's run is interrupted, and deletable.
    new Database(join(dir, 'store.sqlite')).prepare('UPDATE runs SET writer_pid = ? WHERE id = ?').run(4_194_305, id);
    other.deleteRun(id, { refuseLive: true });
    expect(other.listRuns()).toEqual([]);
    expect(existsSync(join(dir, 'runs', id))).toBe(false);
    expect(message(() => other.deleteRun(id, { refuseLive: true }))).toMatch(/no run/);
  });

  it('deletes runs: rows (cascading) and files', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const id = trainedRun(store);
    store.deleteRun(id);
    expect(store.listRuns()).toEqual([]);
    expect(existsSync(join(dir, 'runs', id))).toBe(false);
    for (const table of ['checkpoints', 'metrics']) expect(store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
  });
});

describe('schema migrations', () => {
  /** A store as glassbox with schema version 1 wrote it (before the analyses table). */
  function versionOneStore(dir: string): void {
    mkdirSync(join(dir, 'runs', 'old-run', 'checkpoints'), { recursive: true });
    writeFileSync(join(dir, 'runs', 'old-run', 'graph.onnx'), tinyGraph());
    const db = new Database(join(dir, 'store.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied TEXT NOT NULL)');
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare("INSERT INTO schema_version VALUES (1, 'runs, checkpoints and metrics', '2026-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO runs (id, name, created, status, seed, config) VALUES ('old-run', 'old', '2026-01-01T00:00:00.000Z', 'completed', 7, '{\"lr\":0.5}')").run();
    db.prepare("INSERT INTO metrics (run, step, epoch, lr, test_accuracy) VALUES ('old-run', 100, 1, 0.5, 0.25)").run();
    db.close();
  }

  it('migrates an older store on open and keeps its data', () => {
    const dir = tempDir();
    versionOneStore(dir);
    const store = openStore(dir);
    expect(schemaVersion(store.db)).toBe(SCHEMA_VERSION);
    expect(store.db.prepare('SELECT version FROM schema_version ORDER BY version').all().map((r) => (r as { version: number }).version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(store.getRun('old-run')).toMatchObject({ name: 'old', status: 'completed', seed: 7, config: { lr: 0.5 }, steps: 100, bestTestAccuracy: 0.25 });
    expect(store.putAnalysis({ run: 'old-run', kind: 'k', result: 1 }).result).toBe(1);
    // The migrated schema is the schema of a new store.
    const fresh = openStore();
    const schema = (db: Database.Database): unknown => db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
    expect(schema(store.db)).toEqual(schema(fresh.db));
  });

  it('refuses a store from a newer glassbox', () => {
    const dir = tempDir();
    openStore(dir).close();
    const db = new Database(join(dir, 'store.sqlite'));
    db.prepare("INSERT INTO schema_version VALUES (?, 'from the future', '2030-01-01')").run(SCHEMA_VERSION + 7);
    db.close();
    expect(message(() => RunStore.open(dir))).toMatch(new RegExp(`store\\.sqlite was written by a newer glassbox \\(store schema version ${SCHEMA_VERSION + 7}; this glassbox reads up to ${SCHEMA_VERSION}\\): upgrade glassbox`));
  });

  it('lists migrations in order, numbered from 1 without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
