import { describe, expect, it } from 'vitest';
import { logSpacedSteps, parseSchedule } from '../../../src/store/schedule.js';

describe('checkpoint schedules', () => {
  it('every:N,log:K: multiples of N plus K rounded log-spaced steps below N', () => {
    const s = parseSchedule('every:200,log:10');
    expect(s.every).toBe(200);
    expect(s.log).toBe(10);
    expect(s.early).toEqual([1, 2, 3, 5, 8, 14, 24, 41, 69, 118]);
    expect(s.steps(650)).toEqual([1, 2, 3, 5, 8, 14, 24, 41, 69, 118, 200, 400, 600]);
    expect(s.includes(400)).toBe(true);
    expect(s.includes(0)).toBe(false);
    expect(s.includes(119)).toBe(false);
  });

  it('log-spaced steps stay distinct; K >= N - 1 gives every step below N', () => {
    expect(logSpacedSteps(5, 10)).toEqual([1, 2, 3, 4, 6]);
    expect(logSpacedSteps(50, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(logSpacedSteps(0, 10)).toEqual([]);
  });

  it('log:K alone gives powers of two; at: lists steps; every alone', () => {
    expect(parseSchedule('log:5').steps(100)).toEqual([1, 2, 4, 8, 16]);
    expect(parseSchedule('at:0/50/1000').steps(100)).toEqual([0, 50]);
    expect(parseSchedule('every:3').steps(10)).toEqual([3, 6, 9]);
    expect(parseSchedule(' every:100 , at:0 ').includes(0)).toBe(true);
  });

  it.each([
    ['', /no terms/],
    ['every:0', /"every:0" needs an integer >= 1/],
    ['every:1.5', /needs an integer/],
    ['every:10,every:20', /every given twice/],
    ['log:-1', /"log:-1" needs an integer >= 0/],
    ['sometimes', /unknown term "sometimes"/],
    ['at:1/x', /"at:1\/x" needs an integer/],
  ])('refuses %j', (spec, pattern) => {
    expect(() => parseSchedule(spec)).toThrow(pattern);
    expect(() => parseSchedule(spec)).toThrow(/expected terms like every:200,log:10/);
  });
});
