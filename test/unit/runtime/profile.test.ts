import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestProfile, readProfile, summariseProfile } from '../../../src/runtime/profile.js';

const run = (ts: number) => ({ cat: 'Session', name: 'model_run', ts, dur: 900 });
const node = (ts: number, name: string, op: string, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: op } });
const EVENTS = [
  run(0), node(1, 'conv', 'Conv', 5000), // the warm-up run: skipped below
  run(1000), node(1001, 'conv', 'Conv', 2000), node(1002, 'relu', 'Relu', 500), { cat: 'Node', name: 'conv_fence_before', ts: 1003, dur: 0 },
  run(2000), node(2001, 'conv', 'Conv', 4000), node(2002, 'relu', 'Relu', 1500),
];

describe('onnxruntime profiles', () => {
  it('sums kernel milliseconds per run, by op and by node, largest first, after the skipped runs', () => {
    const { runs, byOp, byNode, total } = summariseProfile(EVENTS, 1);
    expect(runs).toBe(2);
    expect([...byOp.keys()]).toEqual(['Conv', 'Relu']);
    expect(byOp.get('Conv')).toBeCloseTo(3); // (2 + 4) ms over 2 runs
    expect(byOp.get('Relu')).toBeCloseTo(1);
    expect(byNode.get('Conv conv')).toBeCloseTo(3);
    expect(total).toBeCloseTo(4);
    expect(summariseProfile(EVENTS).byOp.get('Conv')).toBeCloseTo(11 / 3);
  });

  it('refuses to skip every run', () => {
    expect(() => summariseProfile(EVENTS, 3)).toThrow(/holds 3 runs; nothing is left after skipping 3/);
  });

  it('finds the newest trace under a prefix and reads it; a damaged file is a one-line error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-profiles-'));
    try {
      writeFileSync(join(dir, 'p-train_2026-11-22_01-00-00_001.json'), JSON.stringify(EVENTS));
      writeFileSync(join(dir, 'p-train_2026-11-22_01-00-00_002.json'), JSON.stringify(EVENTS.slice(0, 3)));
      writeFileSync(join(dir, 'p-eval_2026-11-22_01-00-00_003.json'), '[');
      const newest = latestProfile(join(dir, 'p-train'))!;
      expect(newest).toMatch(/_002\.json$/);
      expect(readProfile(newest)).toHaveLength(3);
      expect(latestProfile(join(dir, 'q'))).toBeUndefined();
      expect(latestProfile(join(dir, 'missing', 'p'))).toBeUndefined();
      expect(() => readProfile(latestProfile(join(dir, 'p-eval'))!)).toThrow(/^cannot read the profile .*p-eval_.*\.json: /);
      writeFileSync(join(dir, 'object_1.json'), '{}');
      expect(() => readProfile(join(dir, 'object_1.json'))).toThrow(/not a list of trace events/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
