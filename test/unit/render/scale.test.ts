import { describe, expect, it } from 'vitest';
import { cumulativeSumThreshold, formatValue, maxAbs, normalise } from '../../../src/render/scale.js';

describe('scales', () => {
  it("follows Captum's cumulative-sum threshold", () => {
    // sorted [1, 1, 2, 6], total 10: 98% = 9.8 is first reached at 6; 40% = 4 at 2; 100% is the max.
    expect(cumulativeSumThreshold([6, 1, 2, 1], 98)).toBe(6);
    expect(cumulativeSumThreshold([6, 1, 2, 1], 40)).toBe(2);
    expect(cumulativeSumThreshold([6, 1, 2, 1], 100)).toBe(6);
    expect(cumulativeSumThreshold([], 98)).toBe(0);
    // an outlier carrying under 2% of the total mass is cut off at 98%...
    expect(cumulativeSumThreshold([...Array<number>(100).fill(1), 2], 98)).toBe(1);
    // ...but not one that carries most of it
    expect(cumulativeSumThreshold([...Array<number>(99).fill(1), 1000], 98)).toBe(1000);
    expect(() => cumulativeSumThreshold([1], 101)).toThrow(RangeError);
  });

  it('normalises with clipping and a neutral zero scale', () => {
    expect(maxAbs([0.1, -0.5, 0.3])).toBe(0.5);
    expect(normalise(0.25, 0.5)).toBe(0.5);
    expect(normalise(-2, 0.5)).toBe(-1);
    expect(normalise(3, 0)).toBe(0);
  });

  it('formats values with shared decimals and a sign', () => {
    expect(formatValue(0.1234, 0.42)).toBe('+0.123');
    expect(formatValue(-0.1234, 0.42)).toBe('-0.123');
    expect(formatValue(0, 0.42)).toBe('0.000');
    expect(formatValue(12.345, 40)).toBe('+12.3');
    expect(formatValue(-3e-6, 5e-6)).toBe('-3.00e-6');
    expect(formatValue(0.0001, 0.5)).toBe('0.000');
  });
});
