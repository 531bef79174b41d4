import { describe, expect, it } from 'vitest';
import { summariseTrace } from '../../../bench/profile.js';

describe('bench profile: summariseTrace', () => {
  it('sums kernel times per op and node over the runs after the warm-up, per step', () => {
    const run = (ts: number) => ({ cat: 'Session', name: 'model_run', ts, dur: 900 });
    const node = (ts: number, name: string, op: string, dur: number) => ({ cat: 'Node', name: `${name}_kernel_time`, ts, dur, args: { op_name: op } });
    const events = [
      run(0), node(1, 'conv', 'Conv', 5000), // warm-up: left out
      run(1000), node(1001, 'conv', 'Conv', 2000), node(1002, 'relu', 'Relu', 500), { cat: 'Node', name: 'conv_fence_before', ts: 1003, dur: 0 },
      run(2000), node(2001, 'conv', 'Conv', 4000), node(2002, 'relu', 'Relu', 1500),
    ];
    const { steps, byOp, byNode } = summariseTrace(events, 1);
    expect(steps).toBe(2);
    expect(byOp.get('Conv')).toBeCloseTo(3); // (2 + 4) ms over 2 steps
    expect(byOp.get('Relu')).toBeCloseTo(1);
    expect(byNode.get('Conv conv')).toBeCloseTo(3);
    expect([...byOp.keys()].sort()).toEqual(['Conv', 'Relu']);
  });
});
