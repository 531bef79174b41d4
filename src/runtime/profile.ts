/**
 * Reading onnxruntime's profile (RuntimeOptions.profile): a Chrome trace with one 'model_run'
 * event per run and one '<node>_kernel_time' event per node executed. Summed per op type and per
 * node it says where a model's time goes; the raw file opens in Perfetto or chrome://tracing.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GlassboxError, errorMessage } from '../util/errors.js';

export interface TraceEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

export interface ProfileSummary {
  /** Runs summed (after the skipped ones). */
  runs: number;
  /** Kernel milliseconds per run, by op type and by "<op type> <node name>", largest first. */
  byOp: Map<string, number>;
  byNode: Map<string, number>;
  /** Kernel milliseconds per run, all nodes. */
  total: number;
}

const KERNEL_SUFFIX = '_kernel_time';

/** Start times of the runs the profile recorded, in order. */
export function profiledRuns(events: readonly TraceEvent[]): number[] {
  return events.filter((e) => e.cat === 'Session' && e.name === 'model_run').map((e) => e.ts).sort((a, b) => a - b);
}

/** Sums kernel times per run over the runs after the first `skip` (warm-up runs allocate memory). */
export function summariseProfile(events: readonly TraceEvent[], skip = 0): ProfileSummary {
  const starts = profiledRuns(events);
  const counted = starts.length - skip;
  if (counted <= 0) throw new GlassboxError('bad-input', `the profile holds ${starts.length} runs; nothing is left after skipping ${skip}`);
  const from = starts[skip]!;
  const byOp = new Map<string, number>();
  const byNode = new Map<string, number>();
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith(KERNEL_SUFFIX) || e.ts < from) continue;
    const ms = e.dur / 1000 / counted;
    const op = e.args?.op_name ?? '?';
    const node = `${op} ${e.name.slice(0, -KERNEL_SUFFIX.length)}`;
    byOp.set(op, (byOp.get(op) ?? 0) + ms);
    byNode.set(node, (byNode.get(node) ?? 0) + ms);
    total += ms;
  }
  const sorted = (m: Map<string, number>) => new Map([...m].sort((a, b) => b[1] - a[1]));
  return { runs: counted, byOp: sorted(byOp), byNode: sorted(byNode), total };
}

/** The newest profile a session wrote under `prefix` (onnxruntime appends _<date and time>.json). */
export function latestProfile(prefix: string): string | undefined {
  const [dir, stem] = [dirname(prefix), `${basename(prefix)}_`];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const mine = names.filter((n) => n.startsWith(stem) && n.endsWith('.json')).sort();
  return mine.length ? join(dir, mine[mine.length - 1]!) : undefined;
}

export function readProfile(path: string): TraceEvent[] {
  try {
    const events = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!Array.isArray(events)) throw new Error('not a list of trace events');
    return events as TraceEvent[];
  } catch (error) {
    throw new GlassboxError('bad-input', `cannot read the profile ${path}: ${errorMessage(error)}`);
  }
}
