/**
 * Run ids: `<UTC date>-<UTC time>-<what>[-s<seed>]`, e.g. `20261121-2040-mnist-cnn-s1`.
 *
 *   - date and time are the run's start in UTC, YYYYMMDD-HHMM, so ids sort chronologically
 *     (to the minute) and say when a run happened;
 *   - <what> is `<dataset>-<recipe>` from the run's config when it names them, else a slug of
 *     the run's name (lower case letters, digits and dashes, at most 40 characters);
 *   - `-s<seed>` when the run has a seed, so the runs of `--seeds 1..10` differ by their suffix;
 *   - a taken id gets `-2`, `-3`, … appended (a prefix sorts before its extensions, so order holds).
 *
 * Ids contain only [a-z0-9-]: safe as directory names and in `<run>:<step>` arguments.
 */

export function slugify(text: string, max = 40): string {
  const slug = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '') || 'run';
}

export function timeStamp(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}-${p(date.getUTCHours())}${p(date.getUTCMinutes())}`;
}

/** The id a run would get if nothing else had it yet. */
export function baseRunId(options: { date: Date; name: string; dataset?: string; recipe?: string; seed?: number }): string {
  const what = options.dataset && options.recipe ? `${options.dataset}-${options.recipe}` : options.recipe ?? options.name;
  const seed = options.seed !== undefined && Number.isInteger(options.seed) ? `-s${options.seed}` : '';
  return `${timeStamp(options.date)}-${slugify(what)}${seed}`;
}

/** `base`, else `base-2`, `base-3`, … : the first that `taken` says is free. */
export function uniqueRunId(base: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}
