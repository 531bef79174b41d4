import type { CheckpointInfo } from '../store/store.js';

/**
 * `count` checkpoints spread evenly in log(step + 1) over a series, the first and the last
 * included: a log-spaced series has most of its checkpoints early, where the model changes
 * fastest, and a picture of its evolution should show early and late alike.
 */
export function spreadCheckpoints(series: readonly CheckpointInfo[], count: number): CheckpointInfo[] {
  if (series.length <= count) return [...series];
  const logs = series.map((c) => Math.log(c.step + 1));
  const [lo, hi] = [logs[0]!, logs.at(-1)!];
  const picked = new Set<number>();
  for (let k = 0; k < count; k++) {
    const want = lo + ((hi - lo) * k) / (count - 1);
    let best = 0;
    for (let i = 1; i < series.length; i++) if (Math.abs(logs[i]! - want) < Math.abs(logs[best]! - want) && !picked.has(i)) best = i;
    picked.add(best);
  }
  return [...picked].sort((a, b) => a - b).map((i) => series[i]!);
}
