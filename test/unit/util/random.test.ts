import { describe, expect, it } from 'vitest';
import { advanceState, bernoulliFill, Random } from '../../../src/util/random.js';

describe('Random', () => {
  it('is the same sequence for the same seed, and continues from a saved state', () => {
    const a = new Random(7);
    const first = [a.next(), a.next()];
    const saved = a.getState();
    const rest = [a.next(), a.normal(), a.next()];
    expect(new Random(7).next()).toBe(first[0]);
    const b = new Random(0).setState(saved);
    expect([b.next(), b.normal(), b.next()]).toEqual(rest);
  });

  it('bernoulliFill makes the decisions of next() < p from a state, and returns the state next() leaves', () => {
    for (const p of [0.9, 0.5, 0.1, 1 - 2 ** -20]) {
      const slow = new Random(123);
      const start = slow.getState().state;
      const mask = new Float32Array(10_001);
      const after = bernoulliFill(mask, start, p, 1 / p);
      const expected = Float32Array.from({ length: 10_001 }, () => (slow.next() < p ? 1 / p : 0));
      expect(mask).toEqual(expected);
      expect(after).toBe(slow.getState().state);
      const kept = mask.filter((v) => v !== 0).length / mask.length;
      expect(Math.abs(kept - p)).toBeLessThan(0.02);
    }
  });

  it('skip(n) leaves the state n calls of next() leave, without drawing', () => {
    const drawn = new Random(9);
    for (let i = 0; i < 12_345; i++) drawn.next();
    expect(new Random(9).skip(12_345).getState().state).toBe(drawn.getState().state);
    expect(advanceState(5, 2 ** 32 + 3)).toBe(advanceState(5, 3));
  });
});
