/**
 * The run store: a directory holding a SQLite database and the files it points to.
 *
 *   <dir>/store.sqlite                          runs, checkpoints, metrics, analyses (schema.ts)
 *   <dir>/runs/<id>/graph.onnx                  the eval-form graph of the run
 *   <dir>/runs/<id>/checkpoints/<step>.safetensors
 *       the weights and buffers under their graph names, the optimizer slots under
 *       `optimizer/<slot>/<weight>`, and in the metadata `glassbox.resume` (the trainer's resume
 *       JSON), `glassbox.metrics`, `glassbox.run`, `glassbox.step`: a checkpoint file is
 *       self-contained, so a copied file can still be resumed from.
 *
 * Crash safety. A checkpoint file is written to a temporary file, fsynced and renamed into place
 * (and the directory fsynced) before its row is inserted, in a transaction; the row is the proof
 * that the file is complete, and readers only ever look at files that have a row. A kill at any
 * moment leaves at worst a temporary file (named after its writer's pid) or a complete file
 * without a row; opening the store removes both once their writer is dead. The database runs in
 * WAL mode, so readers in other processes (the dashboard, `glassbox runs`) read while a trainer
 * writes. Rows record each file's SHA-256, checked whenever a checkpoint is loaded.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { GlassboxError } from '../util/errors.js';
import { closest } from '../util/suggest.js';
import type { Tensor } from '../tensor/tensor.js';
import { decodeModel, loadModel, readModelFile } from '../onnx/io.js';
import { replaceWeights } from '../onnx/edit/weights.js';
import type { Model } from '../onnx/ir/model.js';
import type { CheckpointSink, Metrics, TrainerState } from '../train/types.js';
import { HOST, processAlive, removeStaleTempFiles, sha256, writeFileDurable } from './files.js';
import { baseRunId, uniqueRunId } from './ids.js';
import { decodeSafetensors, saveSafetensors } from './safetensors.js';
import { migrate } from './schema.js';
import { CheckpointSeries } from './series.js';

export const DEFAULT_STORE_DIR = 'glassbox-runs';
export const DATABASE_FILE = 'store.sqlite';
/** Names of optimizer slots inside a checkpoint file start with this. */
export const OPTIMIZER_PREFIX = 'optimizer/';

export type RunStatus = 'running' | 'completed' | 'failed' | 'imported';

export interface RunInfo {
  id: string;
  name: string;
  /** ISO 8601, UTC. */
  created: string;
  finished?: string;
  status: RunStatus;
  message?: string;
  seed?: number;
  config: Record<string, unknown>;
  recipe?: string;
  dataset?: string;
  /** Status 'running', but the process writing it (on this host) is gone: killed, resumable. */
  interrupted: boolean;
  /** The highest step with metrics or a checkpoint (0 when none). */
  steps: number;
  checkpoints: number;
  bestTestAccuracy?: number;
}

export interface CheckpointInfo {
  run: string;
  step: number;
  epoch?: number;
  /** What the trainer reported with the checkpoint (none for imported series). */
  metrics?: Metrics;
  /** Absolute path of the safetensors file. */
  file: string;
  bytes: number;
  sha256: string;
  created: string;
}

export interface AnalysisRecord<R = unknown> {
  id: number;
  run: string;
  /** The checkpoint analysed; undefined for an analysis of the run as a whole. */
  step?: number;
  kind: string;
  params: Record<string, unknown>;
  result: R;
  created: string;
}

export interface OpenOptions {
  /** Create the store when the directory holds none (default true). */
  create?: boolean;
}

interface RunRow {
  id: string; name: string; created: string; finished: string | null; status: RunStatus; message: string | null;
  seed: number | null; config: string; recipe: string | null; dataset: string | null;
  writer_pid: number | null; writer_host: string | null;
  steps: number | null; checkpoints: number; best: number | null;
}

interface CheckpointRow {
  run: string; step: number; epoch: number | null; file: string; bytes: number; sha256: string; metrics: string | null; created: string;
}

interface MetricsRow {
  step: number; epoch: number; lr: number; train_loss: number | null; train_accuracy: number | null;
  test_loss: number | null; test_accuracy: number | null; elapsed: number | null;
}

const RUN_SELECT = `
  SELECT r.*,
    (SELECT COUNT(*) FROM checkpoints c WHERE c.run = r.id) AS checkpoints,
    (SELECT MAX(step) FROM (SELECT step FROM metrics WHERE run = r.id UNION ALL SELECT step FROM checkpoints WHERE run = r.id)) AS steps,
    (SELECT MAX(test_accuracy) FROM metrics WHERE run = r.id) AS best
  FROM runs r`;

/** What a new run is created with (the trainer's startRun, or an import). */
export interface NewRun {
  config: Record<string, unknown>;
  /** The eval-form graph, encoded. */
  graph: Uint8Array;
  seed?: number;
  name?: string;
}

export class RunStore implements CheckpointSink {
  readonly dir: string;
  readonly db: Database.Database;
  /** Runs this instance has claimed as their writer. */
  private readonly claimed = new Set<string>();

  private constructor(dir: string, db: Database.Database) {
    this.dir = dir;
    this.db = db;
  }

  /**
   * Opens the store in `dir` (default ./glassbox-runs), creating it unless `create` is false,
   * migrating an older schema, and sweeping debris that crashed writers left behind.
   */
  static open(dir: string = DEFAULT_STORE_DIR, options: OpenOptions = {}): RunStore {
    const root = resolve(dir);
    const file = join(root, DATABASE_FILE);
    if (!existsSync(file)) {
      if (options.create === false) {
        throw new GlassboxError('no-store', `no run store in ${dir} (${existsSync(root) ? `it has no ${DATABASE_FILE}` : 'no such directory'}): train or import a run first, or point --store at a store`);
      }
      try {
        mkdirSync(join(root, 'runs'), { recursive: true });
      } catch (error) {
        throw new GlassboxError('io', `cannot create the run store ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    } else if (!statSync(file).isFile()) {
      throw new GlassboxError('bad-store', `${file} is not a file`);
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, file);
    } catch (error) {
      db?.close();
      if (error instanceof GlassboxError) throw error;
      const detail = (error as Error).message;
      throw new GlassboxError('bad-store', `${file}: cannot open the run store (${/not a database|malformed/i.test(detail) ? 'not a glassbox store or corrupt: ' : ''}${detail})`);
    }
    mkdirSync(join(root, 'runs'), { recursive: true });
    const store = new RunStore(root, db);
    store.sweep();
    return store;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The directory of a run's files. */
  runDir(runId: string): string {
    return join(this.dir, 'runs', runId);
  }

  graphPath(runId: string): string {
    return join(this.runDir(runId), 'graph.onnx');
  }

  // -------------------------------------------------------------------------------------------
  // Writing (CheckpointSink)

  startRun(info: { config: Record<string, unknown>; graph: Uint8Array; seed: number; name?: string }): string {
    return this.createRun({ ...info });
  }

  /** Creates a run: picks its id, writes its graph, inserts its row; this instance is its writer. */
  createRun(info: NewRun): string {
    decodeModel(info.graph, { source: 'the run graph' });
    const config = info.config;
    const text = (key: string): string | undefined => (typeof config[key] === 'string' && config[key] ? (config[key] as string) : undefined);
    const recipe = text('recipe');
    const dataset = text('dataset');
    const name = info.name ?? text('name') ?? recipe ?? 'run';
    const date = new Date();
    const base = baseRunId({ date, name, recipe, dataset, seed: info.seed });
    const create = this.db.transaction((): string => {
      const id = uniqueRunId(base, (candidate) => existsSync(this.runDir(candidate)) || this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(candidate) !== undefined);
      mkdirSync(join(this.runDir(id), 'checkpoints'), { recursive: true });
      writeFileDurable(this.graphPath(id), [info.graph]);
      this.db.prepare(`INSERT INTO runs (id, name, created, status, seed, config, recipe, dataset, writer_pid, writer_host)
        VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`).run(id, name, date.toISOString(), info.seed ?? null, JSON.stringify(config), recipe ?? null, dataset ?? null, process.pid, HOST);
      return id;
    });
    const id = create.immediate();
    this.claimed.add(id);
    return id;
  }

  writeCheckpoint(runId: string, metrics: Metrics, state: TrainerState): void {
    this.claim(runId);
    const tensors = new Map<string, Tensor>();
    for (const [name, tensor] of state.weights) {
      if (name.startsWith(OPTIMIZER_PREFIX)) throw new GlassboxError('bad-checkpoint', `weight "${name}" clashes with the "${OPTIMIZER_PREFIX}" names that hold optimizer slots`);
      tensors.set(name, tensor);
    }
    for (const [name, tensor] of state.optimizer) tensors.set(OPTIMIZER_PREFIX + name, tensor);
    this.putCheckpoint(runId, metrics.step, tensors, { metrics, resume: state.resume, epoch: metrics.epoch });
  }

  writeMetrics(runId: string, metrics: Metrics): void {
    this.claim(runId);
    this.upsertMetrics(runId, metrics);
  }

  finishRun(runId: string, status: 'completed' | 'failed', message?: string): void {
    this.setStatus(runId, status, message);
  }

  /**
   * Continues a run in this process (`glassbox train --resume`): claims it as its writer, marks
   * it running, drops metrics logged after its last complete checkpoint (they will be logged
   * again), and returns that checkpoint (undefined when there is none: start from scratch).
   */
  resumeRun(runId: string): CheckpointInfo | undefined {
    const run = this.getRun(runId);
    if (run.status === 'imported') throw new GlassboxError('bad-run', `run ${runId} is an imported series; it cannot be resumed`);
    this.claim(runId);
    const latest = this.latestCheckpoint(runId);
    this.db.prepare('DELETE FROM metrics WHERE run = ? AND step > ?').run(runId, latest?.step ?? -1);
    return latest;
  }

  /** Sets a run's final status (imports end in 'imported'); this process stops being its writer. */
  setStatus(runId: string, status: RunStatus, message?: string): void {
    const result = this.db.prepare('UPDATE runs SET status = ?, message = ?, finished = ?, writer_pid = NULL, writer_host = NULL WHERE id = ?')
      .run(status, message ?? null, status === 'running' ? null : new Date().toISOString(), runId);
    if (result.changes === 0) this.unknownRun(runId);
    this.claimed.delete(runId);
  }

  /**
   * Writes one checkpoint file and then its row (see the crash-safety note above). `tensors`
   * are stored under their names as given; `resume` goes into the file's metadata.
   */
  putCheckpoint(runId: string, step: number, tensors: ReadonlyMap<string, Tensor>, extra: { metrics?: Metrics; resume?: Record<string, unknown>; epoch?: number } = {}): CheckpointInfo {
    if (!Number.isSafeInteger(step) || step < 0) throw new GlassboxError('bad-checkpoint', `checkpoint step must be a non-negative integer, got ${step}`);
    if (!this.claimed.has(runId)) this.claim(runId);
    const relative = `runs/${runId}/checkpoints/${step}.safetensors`;
    const file = join(this.dir, relative);
    mkdirSync(join(this.runDir(runId), 'checkpoints'), { recursive: true });
    const metadata: Record<string, string> = {
      'glassbox.format': 'checkpoint/1',
      'glassbox.run': runId,
      'glassbox.step': String(step),
      'glassbox.resume': JSON.stringify(extra.resume ?? {}),
    };
    if (extra.metrics) metadata['glassbox.metrics'] = JSON.stringify(extra.metrics);
    const written = saveSafetensors(file, tensors, metadata);
    const created = new Date().toISOString();
    const insert = this.db.transaction(() => {
      this.db.prepare(`INSERT OR REPLACE INTO checkpoints (run, step, epoch, file, bytes, sha256, metrics, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(runId, step, extra.epoch ?? null, relative, written.bytes, written.sha256, extra.metrics ? JSON.stringify(extra.metrics) : null, created);
      if (extra.metrics) this.upsertMetrics(runId, extra.metrics);
    });
    insert.immediate();
    return { run: runId, step, ...(extra.epoch !== undefined ? { epoch: extra.epoch } : {}), ...(extra.metrics ? { metrics: extra.metrics } : {}), file, bytes: written.bytes, sha256: written.sha256, created };
  }

  private upsertMetrics(runId: string, m: Metrics): void {
    this.db.prepare(`INSERT INTO metrics (run, step, epoch, lr, train_loss, train_accuracy, test_loss, test_accuracy, elapsed)
      VALUES (@run, @step, @epoch, @lr, @trainLoss, @trainAccuracy, @testLoss, @testAccuracy, @elapsed)
      ON CONFLICT (run, step) DO UPDATE SET epoch = excluded.epoch, lr = excluded.lr,
        train_loss = COALESCE(excluded.train_loss, train_loss), train_accuracy = COALESCE(excluded.train_accuracy, train_accuracy),
        test_loss = COALESCE(excluded.test_loss, test_loss), test_accuracy = COALESCE(excluded.test_accuracy, test_accuracy),
        elapsed = COALESCE(excluded.elapsed, elapsed)`)
      .run({
        run: runId, step: m.step, epoch: m.epoch, lr: m.lr, trainLoss: m.trainLoss ?? null, trainAccuracy: m.trainAccuracy ?? null,
        testLoss: m.testLoss ?? null, testAccuracy: m.testAccuracy ?? null, elapsed: m.elapsed ?? null,
      });
  }

  /**
   * Records this process as the run's writer before it writes any file, so that a sweep by
   * another process never takes the files it is about to commit for debris.
   */
  private claim(runId: string): void {
    if (this.claimed.has(runId)) return;
    const row = this.db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: RunStatus } | undefined;
    if (!row) this.unknownRun(runId);
    if (row.status === 'imported') throw new GlassboxError('bad-run', `run ${runId} is an imported series; it cannot be written to`);
    this.db.prepare("UPDATE runs SET writer_pid = ?, writer_host = ?, status = 'running', message = NULL, finished = NULL WHERE id = ?").run(process.pid, HOST, runId);
    this.claimed.add(runId);
  }

  /**
   * Removes a run: its rows first (readers stop seeing it), then its files. With `refuseLive`,
   * a run another live process is training is refused, checked under the write lock so that no
   * trainer can claim it in between.
   */
  deleteRun(runId: string, options: { refuseLive?: boolean } = {}): void {
    const remove = this.db.transaction(() => {
      const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(runId) as RunRow | undefined;
      if (!row) this.unknownRun(runId);
      const run = this.runInfo(row);
      if (options.refuseLive && run.status === 'running' && !run.interrupted && !this.claimed.has(runId)) {
        const where = row.writer_host && row.writer_host !== HOST ? ` on ${row.writer_host}` : '';
        throw new GlassboxError('bad-run', `run ${runId} is being trained right now (process ${row.writer_pid}${where}); stop it or let it finish first`);
      }
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    });
    remove.immediate();
    this.claimed.delete(runId);
    rmSync(this.runDir(runId), { recursive: true, force: true });
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  listRuns(): RunInfo[] {
    return (this.db.prepare(`${RUN_SELECT} ORDER BY r.created, r.id`).all() as RunRow[]).map((row) => this.runInfo(row));
  }

  findRun(runId: string): RunInfo | undefined {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(runId) as RunRow | undefined;
    return row ? this.runInfo(row) : undefined;
  }

  getRun(runId: string): RunInfo {
    return this.findRun(runId) ?? this.unknownRun(runId);
  }

  /** A run by its id or an unambiguous prefix of it (what the CLI accepts). */
  resolveRun(idOrPrefix: string): RunInfo {
    const exact = this.findRun(idOrPrefix);
    if (exact) return exact;
    const ids = this.runIds();
    const matches = idOrPrefix ? ids.filter((id) => id.startsWith(idOrPrefix)) : [];
    if (matches.length === 1) return this.getRun(matches[0]!);
    if (matches.length > 1) {
      throw new GlassboxError('unknown-run', `"${idOrPrefix}" matches ${matches.length} runs in ${this.dir}: ${listSome(matches)}`);
    }
    return this.unknownRun(idOrPrefix);
  }

  listCheckpoints(runId: string): CheckpointInfo[] {
    this.requireRun(runId);
    return (this.db.prepare('SELECT * FROM checkpoints WHERE run = ? ORDER BY step').all(runId) as CheckpointRow[]).map((row) => this.checkpointInfo(row));
  }

  latestCheckpoint(runId: string): CheckpointInfo | undefined {
    this.requireRun(runId);
    const row = this.db.prepare('SELECT * FROM checkpoints WHERE run = ? ORDER BY step DESC LIMIT 1').get(runId) as CheckpointRow | undefined;
    return row ? this.checkpointInfo(row) : undefined;
  }

  /** One checkpoint by step, or 'latest'; a one-line error lists the steps there are. */
  getCheckpoint(runId: string, step: number | 'latest'): CheckpointInfo {
    this.requireRun(runId);
    if (step === 'latest') {
      const latest = this.latestCheckpoint(runId);
      if (!latest) throw new GlassboxError('unknown-checkpoint', `run ${runId} has no checkpoints yet`);
      return latest;
    }
    const row = this.db.prepare('SELECT * FROM checkpoints WHERE run = ? AND step = ?').get(runId, step) as CheckpointRow | undefined;
    if (row) return this.checkpointInfo(row);
    const steps = (this.db.prepare('SELECT step FROM checkpoints WHERE run = ? ORDER BY step').all(runId) as { step: number }[]).map((r) => r.step);
    throw new GlassboxError('unknown-checkpoint', steps.length
      ? `run ${runId} has no checkpoint at step ${step} (checkpoints at steps ${listSome(steps.map(String))})`
      : `run ${runId} has no checkpoints yet`);
  }

  /** The tensors and metadata of a checkpoint file, checked against the row's checksum. */
  readCheckpointFile(runId: string, step: number | 'latest'): { info: CheckpointInfo; tensors: Map<string, Tensor>; metadata: Record<string, string> } {
    const info = this.getCheckpoint(runId, step);
    let bytes: Uint8Array;
    try {
      bytes = readModelFile(info.file);
    } catch {
      throw new GlassboxError('bad-store', `checkpoint ${info.step} of run ${runId} is missing its file ${info.file}`);
    }
    const { tensors, metadata } = decodeSafetensors(bytes, info.file);
    if (bytes.length !== info.bytes || sha256(bytes) !== info.sha256) {
      throw new GlassboxError('bad-safetensors', `${info.file}: corrupt checkpoint file: its checksum differs from the one recorded when it was written`);
    }
    return { info, tensors, metadata };
  }

  /** Everything needed to continue training from a checkpoint. */
  loadCheckpoint(runId: string, step: number | 'latest'): TrainerState {
    const { info, tensors, metadata } = this.readCheckpointFile(runId, step);
    const weights = new Map<string, Tensor>();
    const optimizer = new Map<string, Tensor>();
    for (const [name, tensor] of tensors) {
      if (name.startsWith(OPTIMIZER_PREFIX)) optimizer.set(name.slice(OPTIMIZER_PREFIX.length), tensor);
      else weights.set(name, tensor);
    }
    let resume: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(metadata['glassbox.resume'] ?? '{}') as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) resume = parsed as Record<string, unknown>;
    } catch {
      throw new GlassboxError('bad-safetensors', `${info.file}: corrupt checkpoint file: its resume metadata is not JSON`);
    }
    return { weights, optimizer, resume };
  }

  /** The weights and buffers of a checkpoint (no optimizer slots). */
  loadWeights(runId: string, step: number | 'latest'): Map<string, Tensor> {
    return new Map(this.loadCheckpoint(runId, step).weights);
  }

  /** The run's eval-form graph as stored (the weights it was created with). */
  graph(runId: string): Model {
    this.requireRun(runId);
    const path = this.graphPath(runId);
    if (!existsSync(path)) throw new GlassboxError('bad-store', `run ${runId} is missing its graph ${path}`);
    return loadModel(path);
  }

  /** The run's graph carrying a checkpoint's weights: a standalone model. */
  checkpointModel(runId: string, step: number | 'latest'): Model {
    const weights = this.loadCheckpoint(runId, step).weights;
    return replaceWeights(this.graph(runId), weights);
  }

  /** A run's checkpoints as one ordered object, with metrics, loading weights lazily. */
  series(runId: string): CheckpointSeries {
    return new CheckpointSeries(this, runId);
  }

  /** Every metrics row of a run, by step. */
  metrics(runId: string): Metrics[] {
    this.requireRun(runId);
    return (this.db.prepare('SELECT * FROM metrics WHERE run = ? ORDER BY step').all(runId) as MetricsRow[]).map(metricsFromRow);
  }

  // -------------------------------------------------------------------------------------------
  // Analyses: results that later tools compute on runs and checkpoints, keyed by
  // (run, step, kind, params). Params are compared as JSON with sorted keys.

  putAnalysis<R>(entry: { run: string; step?: number; kind: string; params?: Record<string, unknown>; result: R }): AnalysisRecord<R> {
    this.requireRun(entry.run);
    if (entry.step !== undefined) this.getCheckpoint(entry.run, entry.step);
    const params = canonicalJson(entry.params ?? {});
    const created = new Date().toISOString();
    const step = entry.step ?? null;
    const put = this.db.transaction((): number => {
      this.db.prepare('DELETE FROM analyses WHERE run = ? AND IFNULL(step, -1) = IFNULL(?, -1) AND kind = ? AND params = ?').run(entry.run, step, entry.kind, params);
      return Number(this.db.prepare('INSERT INTO analyses (run, step, kind, params, result, created) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entry.run, step, entry.kind, params, JSON.stringify(entry.result), created).lastInsertRowid);
    });
    const id = put.immediate();
    return { id, run: entry.run, ...(entry.step !== undefined ? { step: entry.step } : {}), kind: entry.kind, params: JSON.parse(params) as Record<string, unknown>, result: entry.result, created };
  }

  getAnalysis<R = unknown>(runId: string, kind: string, options: { step?: number; params?: Record<string, unknown> } = {}): AnalysisRecord<R> | undefined {
    const row = this.db.prepare('SELECT * FROM analyses WHERE run = ? AND IFNULL(step, -1) = IFNULL(?, -1) AND kind = ? AND params = ?')
      .get(runId, options.step ?? null, kind, canonicalJson(options.params ?? {})) as AnalysisRow | undefined;
    return row ? analysisFromRow<R>(row) : undefined;
  }

  /** A run's analyses, optionally of one kind or one checkpoint, oldest first. */
  listAnalyses(runId: string, filter: { kind?: string; step?: number } = {}): AnalysisRecord[] {
    this.requireRun(runId);
    const rows = this.db.prepare(`SELECT * FROM analyses WHERE run = @run
      AND (@kind IS NULL OR kind = @kind) AND (@step IS NULL OR step = @step) ORDER BY created, id`)
      .all({ run: runId, kind: filter.kind ?? null, step: filter.step ?? null }) as AnalysisRow[];
    return rows.map((row) => analysisFromRow(row));
  }

  // -------------------------------------------------------------------------------------------

  private runIds(): string[] {
    return (this.db.prepare('SELECT id FROM runs ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  }

  private requireRun(runId: string): void {
    if (!this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) this.unknownRun(runId);
  }

  private unknownRun(runId: string): never {
    const ids = this.runIds();
    if (ids.length === 0) throw new GlassboxError('unknown-run', `no run "${runId}": the store ${this.dir} has no runs`);
    const near = closest(runId, ids);
    const hint = near.length ? ` (did you mean ${near.map((c) => `"${c}"`).join(', ')}?)` : ` (runs: ${listSome(ids.slice(-5))}; see glassbox runs list)`;
    throw new GlassboxError('unknown-run', `no run "${runId}" in ${this.dir}${hint}`);
  }

  private runInfo(row: RunRow): RunInfo {
    const interrupted = row.status === 'running' && !this.claimed.has(row.id)
      && (row.writer_pid === null || (row.writer_host === HOST && !processAlive(row.writer_pid)));
    let config: Record<string, unknown> = {};
    try {
      config = JSON.parse(row.config) as Record<string, unknown>;
    } catch { /* a hand-edited row; show it empty */ }
    return {
      id: row.id, name: row.name, created: row.created, status: row.status, config, interrupted,
      steps: row.steps ?? 0, checkpoints: row.checkpoints,
      ...(row.finished !== null ? { finished: row.finished } : {}),
      ...(row.message !== null ? { message: row.message } : {}),
      ...(row.seed !== null ? { seed: row.seed } : {}),
      ...(row.recipe !== null ? { recipe: row.recipe } : {}),
      ...(row.dataset !== null ? { dataset: row.dataset } : {}),
      ...(row.best !== null ? { bestTestAccuracy: row.best } : {}),
    };
  }

  private checkpointInfo(row: CheckpointRow): CheckpointInfo {
    return {
      run: row.run, step: row.step, file: join(this.dir, row.file), bytes: row.bytes, sha256: row.sha256, created: row.created,
      ...(row.epoch !== null ? { epoch: row.epoch } : {}),
      ...(row.metrics !== null ? { metrics: JSON.parse(row.metrics) as Metrics } : {}),
    };
  }

  /**
   * Removes what crashed writers left: temporary files whose writer process is gone; checkpoint
   * files without a row in runs that no live process is writing; and run folders without a row
   * (a deletion killed between its rows and its files). The last two checks run under the write
   * lock, so a writer cannot claim the run halfway through, and a run being created (its folder
   * is written under that lock before its row) is never taken for debris.
   */
  private sweep(): void {
    const runsDir = join(this.dir, 'runs');
    let dirs: string[];
    try {
      dirs = readdirSync(runsDir);
    } catch {
      return;
    }
    for (const id of dirs) {
      removeStaleTempFiles(join(runsDir, id));
      removeStaleTempFiles(join(runsDir, id, 'checkpoints'));
    }
    const orphans = (): string[] => {
      const found: string[] = [];
      const rows = this.db.prepare('SELECT id, status, writer_pid, writer_host FROM runs').all() as { id: string; status: RunStatus; writer_pid: number | null; writer_host: string | null }[];
      for (const run of rows) {
        const live = run.writer_pid !== null && (run.writer_host !== HOST || processAlive(run.writer_pid));
        if (live) continue;
        let files: string[];
        try {
          files = readdirSync(join(runsDir, run.id, 'checkpoints'));
        } catch {
          continue;
        }
        const known = new Set((this.db.prepare('SELECT file FROM checkpoints WHERE run = ?').all(run.id) as { file: string }[]).map((r) => r.file));
        for (const f of files) {
          if (/^\d+\.safetensors$/.test(f) && !known.has(`runs/${run.id}/checkpoints/${f}`)) found.push(join(runsDir, run.id, 'checkpoints', f));
        }
      }
      const ids = new Set(rows.map((run) => run.id));
      for (const id of readdirSync(runsDir)) if (!ids.has(id)) found.push(join(runsDir, id));
      return found;
    };
    if (orphans().length === 0) return;
    const remove = this.db.transaction(() => {
      for (const path of orphans()) rmSync(path, { recursive: true, force: true });
    });
    remove.immediate();
  }
}

interface AnalysisRow {
  id: number; run: string; step: number | null; kind: string; params: string; result: string; created: string;
}

function analysisFromRow<R>(row: AnalysisRow): AnalysisRecord<R> {
  return {
    id: row.id, run: row.run, kind: row.kind, params: JSON.parse(row.params) as Record<string, unknown>,
    result: JSON.parse(row.result) as R, created: row.created, ...(row.step !== null ? { step: row.step } : {}),
  };
}

function metricsFromRow(row: MetricsRow): Metrics {
  const m: Metrics = { step: row.step, epoch: row.epoch, lr: row.lr };
  if (row.train_loss !== null) m.trainLoss = row.train_loss;
  if (row.train_accuracy !== null) m.trainAccuracy = row.train_accuracy;
  if (row.test_loss !== null) m.testLoss = row.test_loss;
  if (row.test_accuracy !== null) m.testAccuracy = row.test_accuracy;
  if (row.elapsed !== null) m.elapsed = row.elapsed;
  return m;
}

/** JSON with object keys sorted at every level (a stable key for analysis params). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

/** "a, b, c" or "a, b, … (12 in all), y, z" for long lists. */
export function listSome(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  const head = items.slice(0, max - 3);
  const tail = items.slice(-2);
  return `${head.join(', ')}, … ${tail.join(', ')} (${items.length} in all)`;
}
