/** Small timing helpers for benchmark scripts (never used by tests). */

export interface Timing {
  /** Median milliseconds over the repeats. */
  median: number;
  min: number;
  repeats: number;
}

export async function time(fn: () => unknown, options: { repeats?: number; warmup?: number } = {}): Promise<Timing> {
  for (let i = 0; i < (options.warmup ?? 1); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < (options.repeats ?? 5); i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, min: samples[0]!, repeats: samples.length };
}

export function ms(t: Timing): string {
  return `${t.median.toFixed(1)} ms`;
}

/** Peak resident set size of this process so far, in MiB (Linux). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
