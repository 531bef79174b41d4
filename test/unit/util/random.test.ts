import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/util/random.js';

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

  it('fillBernoulli makes the decisions of next() < p, and leaves the same state behind', () => {
    for (const p of [0.9, 0.5, 0.1, 1 - 2 ** -20]) {
      const fast = new Random(123);
      const slow = new Random(123);
      const mask = fast.fillBernoulli(new Float32Array(10_001), p, 1 / p);
      const expected = Float32Array.from({ length: 10_001 }, () => (slow.next() < p ? 1 / p : 0));
      expect(mask).toEqual(expected);
      expect(fast.getState()).toEqual(slow.getState());
      const kept = mask.filter((v) => v !== 0).length / mask.length;
      expect(Math.abs(kept - p)).toBeLessThan(0.02);
    }
  });
});
