import { describe, expect, it } from 'vitest';
import { defaultCorpus } from '../../scripts/fuzz.js';
import { fuzz } from '../../scripts/fuzz/harness.js';

/**
 * A slice of the fuzz campaign (`npm run fuzz` runs thousands): mutated real model files must
 * all end in a GlassboxError or a successful run — never a crash, a hang or another exception.
 * The seeds are fixed so CI is reproducible; a failure replays with `npx tsx scripts/replay.ts <seed>`.
 */
describe('fuzzing model files', () => {
  it('400 mutated models: no crash, no hang, no internal error', async () => {
    const first = 100_000;
    const report = await fuzz({ corpus: defaultCorpus(), cases: 400, first, workers: 2, timeout: 30 });
    expect(report.cases).toBe(400);
    expect(report.failures, `seeds from ${first}: ${JSON.stringify(report.failures.slice(0, 5))}`).toEqual([]);
    // The corpus must reach deep: some cases run to the end, many fail inside onnxruntime's checks.
    expect(report.ok).toBeGreaterThan(20);
  }, 240_000);
});
