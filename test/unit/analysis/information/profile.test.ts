import { describe, expect, it } from 'vitest';
import { adjacentCorrelation, keptAuc, keptGap, meanError, neighbourEffect, pearson } from '../../../../src/analysis/information/profile.js';

describe('σ profile statistics', () => {
  const task = [false, true, false, false, true, false];

  it('keptAuc: the share of (task, other) pairs where the task word has the smaller σ, ties half', () => {
    expect(keptAuc([0, -3, 0, 0, -2, 0], task)).toBe(1);
    expect(keptAuc([-5, 0, -5, -5, 0, -5], task)).toBe(0);
    // Task words -1 and -3 against others -2 (×2), 0 (×2): -1 beats the two 0s; -3 beats all four.
    expect(keptAuc([-2, -1, 0, 0, -3, -2], task)).toBe(6 / 8);
    expect(keptAuc([-1, -1, -1, -1, -1, -1], task)).toBe(0.5);
    expect(keptAuc([0, 0], [false, false])).toBeNaN();
    expect(() => keptAuc([0], task)).toThrow(/1 values but 6 task-word flags/);
  });

  it('keptGap: mean log σ of the other words minus the task words', () => {
    expect(keptGap([0, -3, 0, 0, -1, 0], task)).toBe(2);
  });

  it('neighbourEffect: other words far from task words minus those next to them', () => {
    // Next to a task word: positions 0, 2, 3, 5 (all non-task words here): nothing is far.
    expect(neighbourEffect([0, -3, 0, 0, -1, 0], task)).toBeNaN();
    const sparse = [false, false, true, false, false, false];
    expect(neighbourEffect([0, -2, -3, -2, 0, 0], sparse)).toBe(2);
  });

  it('adjacentCorrelation: runs of neighbours correlate, alternation anti-correlates, sentence offsets do not count', () => {
    expect(adjacentCorrelation([[0, 0, 0, 0, -3, -3, -3, -3]])).toBeGreaterThan(0.5);
    expect(adjacentCorrelation([[0, -3, 0, -3, 0, -3]])).toBeCloseTo(-1, 10);
    const runs = adjacentCorrelation([[0, 0, -1, -1], [-5, -5, -6, -6]]);
    expect(runs).toBeCloseTo(adjacentCorrelation([[0, 0, -1, -1], [0, 0, -1, -1]]), 10);
  });

  it('meanError and pearson', () => {
    expect(meanError([1, 2, 3, NaN])).toEqual({ mean: 2, error: Math.sqrt(1 / 3), n: 3 });
    expect(meanError([4]).error).toBeNaN();
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(() => pearson([1], [1, 2])).toThrow(/one length/);
  });
});
