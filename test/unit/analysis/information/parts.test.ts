/** The small pieces: unit maps, the normaliser s, the plateau rule, the noise, rank correlation. */
import { describe, expect, it } from 'vitest';
import { ranks, resolveUnits, spearman, unitsPerPatch, unitsPerPixel, unitsPerPosition } from '../../../../src/analysis/information/index.js';
import { fillNormal } from '../../../../src/analysis/information/noise.js';
import { normalizer } from '../../../../src/analysis/information/normalizer.js';
import { Plateau, earlyStopOptions } from '../../../../src/analysis/information/plateau.js';
import { axisFirst } from '../../../../src/analysis/information/rows.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';

describe('units', () => {
  it('maps text positions (padding excluded), pixels and patches, counting D_i', () => {
    const text = resolveUnits(unitsPerPosition([1, 4, 8], 3), [1, 4, 8]);
    expect([...text.map]).toEqual([0, 1, 2, -1]);
    expect(text).toMatchObject({ shape: [4, 1], count: 3, sizes: [8, 8, 8] });
    expect(resolveUnits(unitsPerPixel([1, 3, 2, 2]), [1, 3, 2, 2])).toMatchObject({ count: 4, sizes: [3, 3, 3, 3] });
    const patches = resolveUnits(unitsPerPatch([1, 3, 5, 4], 2), [1, 3, 5, 4]);
    expect(patches.count).toBe(6); // 3 rows of patches (the last 1 high) × 2 columns
    expect(patches.sizes).toEqual([12, 12, 12, 12, 6, 6]);
  });
});

describe('the normaliser s', () => {
  const clean = Tensor.float32([1, 3, 2], [1, 10, 2, 20, 3, 30]);

  it('takes the std over samples, averaging the axes whose length differs (the reference\'s reduced_axes)', () => {
    const a = Tensor.float32([1, 2, 2], [0, 0, 2, 4]); // position means: [1, 2]
    const b = Tensor.float32([1, 4, 2], [3, 6, 3, 6, 3, 6, 3, 6]); // [3, 6]
    const { inverseSquare, source } = normalizer('l', clean, 0, { samples: [a, b] });
    expect(source).toBe('samples');
    // std over the two samples per feature: [1, 2], broadcast over the 3 positions.
    expect([...inverseSquare]).toEqual([1, 0.25, 1, 0.25, 1, 0.25]);
  });

  it('falls back to the std over positions per feature, or to the rms for a single position', () => {
    const positions = normalizer('l', clean, 0, {});
    expect(positions.source).toBe('positions');
    const sd = [Math.sqrt(2 / 3), Math.sqrt(200 / 3)];
    positions.inverseSquare.forEach((v, e) => expect(v).toBeCloseTo(1 / sd[e % 2]! ** 2, 5));
    const rms = normalizer('l', Tensor.float32([1, 2], [3, 4]), 0, {});
    expect(rms.source).toBe('rms');
    for (const v of rms.inverseSquare) expect(1 / v).toBeCloseTo(12.5, 4); // mean(Φ²) = (9 + 16)/2
  });

  it('floors s at 1e-3 of its mean and puts the batch axis first', () => {
    const given = Tensor.float32([2], [0, 2]);
    const { inverseSquare } = normalizer('l', Tensor.float32([3, 1, 2], new Float32Array(6)), 1, { given });
    expect(inverseSquare[0]).toBeCloseTo(1 / (1e-3) ** 2, 0);
    expect(inverseSquare[1]).toBeCloseTo(0.25);
    expect([...axisFirst(Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2, 1], 1)]).toEqual([1, 3, 5, 2, 4, 6]);
  });
});

describe('the plateau rule', () => {
  const options = earlyStopOptions({ window: 10, patience: 2, minSteps: 0 })!;

  it('stops a flat loss after patience windows, keeps a falling one going', () => {
    const flat = new Plateau(1, options);
    let stoppedAt = 0;
    for (let s = 1; s <= 100 && !stoppedAt; s++) if (flat.push(1 + 0.01 * Math.sin(s), [-2])) stoppedAt = s;
    expect(stoppedAt).toBe(30);
    const falling = new Plateau(1, options);
    for (let s = 1; s <= 100; s++) expect(falling.push(1 / s, [-2])).toBe(false);
  });

  it('keeps a run going while a unit above half the scale still climbs, and keeps the best window\'s mean r', () => {
    const climbing = new Plateau(2, options);
    let r = 0;
    for (let s = 1; s <= 60; s++) expect(climbing.push(1, [-3, (r += 0.02)])).toBe(false);
    expect(climbing.bestR?.[0]).toBeCloseTo(-3);
    expect(climbing.bestR?.[1]).toBeCloseTo(0.02 * 5.5, 5); // the first window's mean: the loss never improved
  });
});

describe('noise and ranks', () => {
  it('draws standard normals, reproducibly, leaving the generator where next() would', () => {
    const a = new Float32Array(200_000);
    fillNormal(new Random(9), a);
    let [mean, square, tail] = [0, 0, 0];
    for (const v of a) (mean += v / a.length), (square += (v * v) / a.length), (tail += Math.abs(v) > 3 ? 1 / a.length : 0);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(square - 1)).toBeLessThan(0.01);
    expect(tail).toBeCloseTo(0.0027, 3);
    const b = new Float32Array(1000);
    const [g1, g2] = [new Random(4), new Random(4)];
    fillNormal(g1, b);
    const again = new Float32Array(1000);
    fillNormal(g2, again);
    expect([...again]).toEqual([...b]);
    expect(g1.next()).toBe(g2.next());
  });

  it('computes Spearman\'s ρ with tied ranks averaged', () => {
    expect(ranks([3, 1, 2, 1])).toEqual([4, 1.5, 3, 1.5]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8);
  });
});
