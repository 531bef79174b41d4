import type { Command } from 'commander';
import { relative } from 'node:path';
import { DEFAULT_STORE_DIR, RunStore, type RunInfo } from '../../store/store.js';
import type { CliIO } from '../context.js';
import { bytesLabel, columns, thousands, writeJson } from '../output.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';

interface StoreFlags {
  store: string;
  json?: string | boolean;
}

/** The run-store commands: runs list|show|rm, export, import. */
export function registerStoreCommands(program: Command, io: CliIO): void {
  registerRuns(program, io);
  registerExport(program, io);
  registerImport(program, io);
}

export const STORE_OPTION = ['--store <dir>', 'the run store directory', DEFAULT_STORE_DIR] as const;

/** Opens an existing store (a missing one is a one-line error), runs `work`, closes it. */
export async function withStore<T>(dir: string, work: (store: RunStore) => T | Promise<T>, create = false): Promise<T> {
  const store = RunStore.open(dir, { create });
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

export function registerRuns(program: Command, io: CliIO): void {
  const runs = program
    .command('runs')
    .description('list the runs of a run store, show one (config, metrics per checkpoint, files), or remove some')
    .addHelpText('after', `
Examples:
  glassbox runs list
  glassbox runs show 20261121-2040-mnist-cnn-s1
  glassbox runs show 20261121-2040 --json     (an unambiguous prefix of an id will do)
  glassbox runs rm 20261121-2040-mnist-cnn-s1 20261121-2041`);
  runs
    .command('list', { isDefault: true })
    .description('one line per run: id, name, dataset, status, steps, checkpoints, best test accuracy, created')
    .option(...STORE_OPTION)
    .option('--json [file]', 'the runs as JSON on stdout, or in a file')
    .action(async (flags: StoreFlags) => {
      await withStore(flags.store, (store) => {
        const list = store.listRuns();
        if (flags.json !== undefined) {
          writeJson(io, flags.json, { store: store.dir, runs: list });
          return;
        }
        if (list.length === 0) {
          io.stdout(`no runs in ${flags.store}\n`);
          return;
        }
        const rows = [['id', 'name', 'dataset', 'status', 'steps', 'checkpoints', 'best test acc', 'created']];
        for (const r of list) {
          rows.push([r.id, r.recipe && r.recipe !== r.name ? `${r.name} (${r.recipe})` : r.name, r.dataset ?? '-', statusLabel(r), thousands(r.steps), String(r.checkpoints), percent(r.bestTestAccuracy), when(r.created)]);
        }
        io.stdout(`${columns(rows, '')}\n`);
      });
    });
  runs
    .command('show')
    .description('a run in detail: status, config, metrics at each checkpoint, files')
    .argument('<id>', 'a run id (or an unambiguous prefix)')
    .option(...STORE_OPTION)
    .option('--json [file]', 'the run as JSON on stdout, or in a file')
    .action(async (id: string, flags: StoreFlags) => {
      await withStore(flags.store, (store) => {
        const run = store.resolveRun(id);
        const series = store.series(run.id);
        const metrics = store.metrics(run.id);
        const checkpoints = series.points.map((p) => ({ step: p.step, epoch: p.epoch, metrics: p.metrics, file: p.checkpoint.file, bytes: p.checkpoint.bytes, sha256: p.checkpoint.sha256, created: p.checkpoint.created }));
        const files = { graph: store.graphPath(run.id), checkpoints: checkpoints.map((c) => c.file) };
        if (flags.json !== undefined) {
          writeJson(io, flags.json, { store: store.dir, run, checkpoints, metrics, files });
          return;
        }
        const lines = [
          `${run.id}  ${run.name}`,
          `  status ${statusLabel(run)}${run.message ? ` (${run.message})` : ''} · created ${when(run.created)}${run.finished ? ` · finished ${when(run.finished)}` : ''}`,
          `  ${[run.seed !== undefined ? `seed ${run.seed}` : '', run.recipe ? `recipe ${run.recipe}` : '', run.dataset ? `dataset ${run.dataset}` : '', `${thousands(run.steps)} steps`].filter(Boolean).join(' · ')}`,
          '',
          'config',
          ...JSON.stringify(run.config, null, 2).split('\n').map((l) => `  ${l}`),
          '',
          `checkpoints (${checkpoints.length})`,
        ];
        if (checkpoints.length) {
          const rows = [['step', 'epoch', 'lr', 'train loss', 'train acc', 'test loss', 'test acc', 'size']];
          for (const c of checkpoints) rows.push([String(c.step), num(c.epoch), num(c.metrics?.lr), num(c.metrics?.trainLoss), percent(c.metrics?.trainAccuracy), num(c.metrics?.testLoss), percent(c.metrics?.testAccuracy), bytesLabel(c.bytes)]);
          lines.push(columns(rows));
        }
        const between = metrics.filter((m) => !series.steps.includes(m.step));
        if (between.length) lines.push(`  (${between.length} more metrics rows between checkpoints; --json lists them)`);
        const total = checkpoints.reduce((n, c) => n + c.bytes, 0);
        lines.push('', 'files', columns([
          ['graph', rel(store.graphPath(run.id))],
          ['checkpoints', `${rel(store.runDir(run.id))}/checkpoints/<step>.safetensors (${checkpoints.length} files, ${bytesLabel(total)})`],
        ]));
        io.stdout(`${lines.join('\n')}\n`);
      });
    });
  runs
    .command('rm')
    .description('remove runs from the store: their checkpoints, metrics, analyses and files')
    .argument('<ids...>', 'run ids (or unambiguous prefixes)')
    .option(...STORE_OPTION)
    .action(async (ids: string[], flags: StoreFlags) => {
      await withStore(flags.store, (store) => {
        // Every id is resolved before anything is removed: a typo removes nothing.
        const chosen = [...new Map(ids.map((id) => store.resolveRun(id)).map((run) => [run.id, run])).values()];
        for (const run of chosen) {
          const bytes = store.listCheckpoints(run.id).reduce((n, c) => n + c.bytes, 0);
          store.deleteRun(run.id, { refuseLive: true });
          io.stdout(`removed ${run.id}  (${run.checkpoints} checkpoint${run.checkpoints === 1 ? '' : 's'}, ${bytesLabel(bytes)})\n`);
        }
      });
    });
  for (const cmd of runs.commands) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

function statusLabel(run: RunInfo): string {
  return run.interrupted ? 'interrupted' : run.status;
}

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(2)}%`;
}

function num(value: number | undefined): string {
  if (value === undefined) return '-';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5 ? String(Number(value.toPrecision(4))) : value.toExponential(2);
}

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

function rel(path: string): string {
  const r = relative(process.cwd(), path);
  return r.startsWith('..') ? path : r;
}
