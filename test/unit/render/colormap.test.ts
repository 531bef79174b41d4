import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_DIVERGING, INFERNO, RDBU, contrastRatio, lightness, textColorOn, toHex } from '../../../src/render/colormap.js';

const samples = (n: number): number[] => Array.from({ length: n + 1 }, (_, i) => i / n);

describe('colormaps', () => {
  it('RdBu has ColorBrewer endpoints and a near-white centre', () => {
    expect(toHex(RDBU.at(0))).toBe('#67001f');
    expect(toHex(RDBU.at(1))).toBe('#053061');
    expect(toHex(RDBU.at(0.5))).toBe('#f7f7f7');
    expect(toHex(RDBU.at(0.1))).toBe('#b2182b'); // second of 11 stops
  });

  it('the attribution map runs blue (against) → white → red (toward)', () => {
    expect(toHex(ATTRIBUTION_DIVERGING.at(0))).toBe('#053061');
    expect(toHex(ATTRIBUTION_DIVERGING.at(1))).toBe('#67001f');
    expect(ATTRIBUTION_DIVERGING.name).toBe('RdBu_r');
    expect(ATTRIBUTION_DIVERGING.reversed().name).toBe('RdBu');
  });

  it('clamps outside [0, 1] and maps NaN to the neutral middle', () => {
    expect(ATTRIBUTION_DIVERGING.at(-3)).toEqual(ATTRIBUTION_DIVERGING.at(0));
    expect(ATTRIBUTION_DIVERGING.at(7)).toEqual(ATTRIBUTION_DIVERGING.at(1));
    expect(toHex(ATTRIBUTION_DIVERGING.at(Number.NaN))).toBe('#f7f7f7');
  });

  it('inferno has matplotlib endpoints', () => {
    expect(INFERNO.at(0)).toEqual([0, 0, 4]);
    expect(INFERNO.at(1)).toEqual([252, 255, 164]);
    expect(INFERNO.at(0.5)).toEqual([188, 55, 84]); // matplotlib inferno(128/255) = #bc3754
  });

  it('inferno lightness rises monotonically', () => {
    const l = samples(255).map((t) => lightness(INFERNO.at(t)));
    for (let i = 1; i < l.length; i++) expect(l[i]!).toBeGreaterThan(l[i - 1]!);
    expect(l[0]!).toBeLessThan(1);
    expect(l[255]!).toBeGreaterThan(95);
  });

  it('the diverging map gets lighter toward 0 and the arms match in lightness', () => {
    const l = samples(200).map((t) => lightness(ATTRIBUTION_DIVERGING.at(t)));
    for (let i = 1; i <= 100; i++) expect(l[i]!).toBeGreaterThanOrEqual(l[i - 1]!);
    for (let i = 101; i <= 200; i++) expect(l[i]!).toBeLessThanOrEqual(l[i - 1]!);
    for (let i = 0; i <= 100; i++) expect(Math.abs(l[i]! - l[200 - i]!)).toBeLessThan(5);
    expect(l[100]!).toBeGreaterThan(95);
  });

  it('text on a cell keeps WCAG AA contrast (4.5) across both maps', () => {
    for (const t of samples(100)) {
      for (const c of [ATTRIBUTION_DIVERGING.at(t), INFERNO.at(t)]) expect(contrastRatio(c, textColorOn(c))).toBeGreaterThanOrEqual(4.5);
    }
    expect(textColorOn([103, 0, 31])).toEqual([255, 255, 255]);
    expect(textColorOn([247, 247, 247])).toEqual([0, 0, 0]);
  });
});
