/**
 * Statistics of one layer's σ profile over the words of a sentence, for checking the paper's
 * qualitative claims with numbers: does a layer keep the task words and forget the rest
 * (selectivity), and is what it keeps spread over neighbouring words (adjacency)?
 * All take log σ per word (any affine rescaling, such as log(σ / scale), gives the same answer)
 * and return NaN when the sentence cannot say (too few words of a kind).
 */
import { GlassboxError } from '../../util/errors.js';

/**
 * P(a task word has a smaller σ than another word) over all (task, other) pairs of the sentence,
 * ties counting one half: the AUC of "σ is small" as a detector of task words. 0.5: the layer
 * does not prefer them; 1: it keeps every task word better than every other word.
 */
export function keptAuc(logSigma: readonly number[], task: readonly boolean[]): number {
  check(logSigma, task);
  let pairs = 0;
  let wins = 0;
  logSigma.forEach((a, i) => {
    if (!task[i]) return;
    logSigma.forEach((b, j) => {
      if (task[j]) return;
      pairs++;
      wins += a < b ? 1 : a === b ? 0.5 : 0;
    });
  });
  return pairs === 0 ? NaN : wins / pairs;
}

/** Mean log σ of the other words minus that of the task words (> 0: task words kept better). */
export function keptGap(logSigma: readonly number[], task: readonly boolean[]): number {
  check(logSigma, task);
  return meanWhere(logSigma, task.map((t) => !t)) - meanWhere(logSigma, task);
}

/** (log σ_i, log σ_i+1) for every pair of adjacent words. */
export function adjacentPairs(logSigma: readonly number[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < logSigma.length; i++) pairs.push([logSigma[i]!, logSigma[i + 1]!]);
  return pairs;
}

/**
 * Pearson correlation of log σ between adjacent words, pooled over sentences (each centred on
 * its own mean first, so that a sentence kept better as a whole does not pass for neighbours
 * agreeing): high when what a layer keeps comes in runs of neighbours (a convolution window, a
 * recurrent state carried along), near 0 when each word is kept or forgotten on its own.
 */
export function adjacentCorrelation(profiles: readonly (readonly number[])[]): number {
  const pairs = profiles.flatMap((p) => {
    const m = p.reduce((a, b) => a + b, 0) / p.length;
    return adjacentPairs(p.map((v) => v - m));
  });
  return pearson(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
}

/**
 * Among the words that are not task words: mean log σ of those not next to a task word minus
 * that of those next to one (> 0: a task word's neighbours are kept better than other words —
 * the layer spreads what it keeps over the task word's neighbourhood).
 */
export function neighbourEffect(logSigma: readonly number[], task: readonly boolean[]): number {
  check(logSigma, task);
  const near = task.map((t, i) => !t && (task[i - 1] === true || task[i + 1] === true));
  const far = task.map((t, i) => !t && !near[i]);
  return meanWhere(logSigma, far) - meanWhere(logSigma, near);
}

/** Mean and its standard error (NaNs left out); the error is NaN with fewer than two values. */
export function meanError(values: readonly number[]): { mean: number; error: number; n: number } {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : NaN;
  const variance = n > 1 ? v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : NaN;
  return { mean, error: Math.sqrt(variance / n), n };
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new GlassboxError('bad-input', `a correlation needs two lists of one length, got ${a.length} and ${b.length}`);
  const n = a.length;
  if (n < 2) return NaN;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function meanWhere(values: readonly number[], keep: readonly boolean[]): number {
  let sum = 0;
  let n = 0;
  values.forEach((v, i) => {
    if (keep[i]) {
      sum += v;
      n++;
    }
  });
  return n ? sum / n : NaN;
}

function check(values: readonly number[], mask: readonly boolean[]): void {
  if (values.length !== mask.length) throw new GlassboxError('bad-input', `${values.length} values but ${mask.length} task-word flags`);
}
