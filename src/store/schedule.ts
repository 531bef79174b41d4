/**
 * Checkpoint schedules: `--checkpoints every:200,log:10`.
 *
 * A schedule is a comma-separated list of terms; a step is scheduled when any term selects it.
 *
 *   every:N   steps N, 2N, 3N, …
 *   log:K     K log-spaced early steps. With every:N they lie below N:
 *               s_i = round(N^(i/K)) for i = 0 … K−1, then made strictly increasing
 *               (s_i = max(s_i, s_(i−1) + 1)) and cut below N;
 *             so every:200,log:10 adds 1, 2, 3, 5, 8, 14, 24, 41, 69, 118 (K ≥ N − 1 gives every
 *             step below N). Without every: the powers of two 1, 2, 4, …, 2^(K−1).
 *   at:A/B/C  exactly these steps (e.g. at:0/50/1000).
 *
 * Steps count optimizer updates, starting at 1; step 0 (the initial weights) only through at:0.
 * Whether the final step is saved too is the trainer's decision, not the schedule's.
 */
import { GlassboxError } from '../util/errors.js';

export interface CheckpointSchedule {
  /** The text it was parsed from. */
  readonly spec: string;
  readonly every?: number;
  readonly log?: number;
  /** The explicit and log-spaced steps (sorted); every-N steps are not listed. */
  readonly early: readonly number[];
  includes(step: number): boolean;
  /** All scheduled steps from 0 up to `last` inclusive, sorted. */
  steps(last: number): number[];
}

/** The log-spaced steps: see the module comment. */
export function logSpacedSteps(count: number, below?: number): number[] {
  const out: number[] = [];
  if (below === undefined) {
    for (let i = 0; i < count; i++) out.push(2 ** i);
    return out;
  }
  for (let i = 0; i < count; i++) {
    const raw = Math.round(below ** (i / count));
    const s = out.length ? Math.max(raw, out[out.length - 1]! + 1) : raw;
    if (s >= below) break;
    out.push(s);
  }
  return out;
}

export function parseSchedule(spec: string): CheckpointSchedule {
  const bad = (detail: string): never => {
    throw new GlassboxError('bad-schedule', `checkpoint schedule "${spec}": ${detail} (expected terms like every:200,log:10 or at:0/50/100)`);
  };
  let every: number | undefined;
  let log: number | undefined;
  const at: number[] = [];
  const terms = spec.split(',').map((t) => t.trim()).filter(Boolean);
  if (terms.length === 0) bad('no terms');
  const integer = (text: string, term: string, min: number): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) bad(`"${term}" needs an integer >= ${min}`);
    return n;
  };
  for (const term of terms) {
    const colon = term.indexOf(':');
    const key = colon < 0 ? term : term.slice(0, colon);
    const value = colon < 0 ? '' : term.slice(colon + 1).trim();
    if (key === 'every') {
      if (every !== undefined) bad('every given twice');
      every = integer(value, term, 1);
    } else if (key === 'log') {
      if (log !== undefined) bad('log given twice');
      log = integer(value, term, 0);
    } else if (key === 'at') {
      for (const part of value.split('/')) at.push(integer(part.trim(), term, 0));
    } else {
      bad(`unknown term "${term}"`);
    }
  }
  const early = [...new Set([...at, ...(log ? logSpacedSteps(log, every) : [])])].sort((a, b) => a - b);
  const earlySet = new Set(early);
  const includes = (step: number): boolean => earlySet.has(step) || (every !== undefined && step > 0 && step % every === 0);
  return {
    spec,
    ...(every !== undefined ? { every } : {}),
    ...(log !== undefined ? { log } : {}),
    early,
    includes,
    steps(last: number): number[] {
      const out = new Set(early.filter((s) => s <= last));
      if (every !== undefined) for (let s = every; s <= last; s += every) out.add(s);
      return [...out].sort((a, b) => a - b);
    },
  };
}
