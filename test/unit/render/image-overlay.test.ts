import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../src/tensor/tensor.js';
import { toMap, toRgb } from '../../../src/render/image-input.js';
import { overlay, resolveSign, selectSign } from '../../../src/render/image-overlay.js';

const at = (px: { width: number; data: Uint8ClampedArray }, x: number, y: number): number[] => Array.from(px.data.subarray((y * px.width + x) * 3, (y * px.width + x) * 3 + 3));

describe('image inputs', () => {
  it('reads [1, C, H, W] tensors in [0, 1] and raw interleaved pixels', () => {
    const rgb = toRgb(Tensor.float32([1, 3, 1, 2], [1, 0, 0, 0.5, 0, 1]));
    expect(rgb.width).toBe(2);
    expect(Array.from(rgb.data)).toEqual([255, 0, 0, 0, 128, 255]);
    const gray = toRgb({ width: 2, height: 1, channels: 1, data: Uint8Array.from([10, 200]) });
    expect(Array.from(gray.data)).toEqual([10, 10, 10, 200, 200, 200]);
    expect(() => toRgb(Tensor.float32([2, 4, 4]))).toThrow(/C = 1 or 3/);
  });

  it('sums attributions over channels, as Captum does', () => {
    const m = toMap(Tensor.float32([1, 3, 1, 2], [1, 2, 10, 20, 100, 200]));
    expect([m.width, m.height, ...m.data]).toEqual([2, 1, 111, 222]);
  });
});

describe('overlay', () => {
  it("selects signs like Captum's _normalize_attr", () => {
    const v = Float32Array.from([-2, 0, 3]);
    expect(resolveSign({ width: 3, height: 1, data: v })).toBe('all');
    expect(resolveSign({ width: 3, height: 1, data: v.map(Math.abs) })).toBe('positive');
    expect(Array.from(selectSign(v, 'positive'))).toEqual([0, 0, 3]);
    expect(Array.from(selectSign(v, 'negative'))).toEqual([2, 0, 0]);
    expect(Array.from(selectSign(v, 'absolute_value'))).toEqual([2, 0, 3]);
  });

  it('paints the most positive pixel red and the most negative blue, leaving zeros as the image', () => {
    const image = Tensor.float32([1, 4, 4], new Array(16).fill(0.5));
    const attr = new Array(16).fill(0);
    attr[1 * 4 + 2] = 1; // (x 2, y 1)
    attr[3 * 4 + 0] = -1; // (x 0, y 3)
    const o = overlay(image, Tensor.float32([4, 4], attr));
    expect(o.sign).toBe('all');
    expect(o.scale).toBe(1);
    // magnitude alpha 0.8 over gray 128: 0.2·128 + 0.8·(103, 0, 31) and 0.2·128 + 0.8·(5, 48, 97)
    expect(at(o.pixels, 2, 1)).toEqual([108, 26, 50]);
    expect(at(o.pixels, 0, 3)).toEqual([30, 64, 103]);
    expect(at(o.pixels, 3, 3)).toEqual([128, 128, 128]);
  });

  it('blends non-negative maps on the sequential map with constant alpha and upsamples coarse maps', () => {
    const image = Tensor.float32([1, 4, 4], new Array(16).fill(0));
    const cam = Tensor.float32([1, 1, 2, 2], [0, 0, 0, 1]); // Grad-CAM-like 2×2 map, hot bottom-right
    const nearest = overlay(image, cam, { upsample: 'nearest', outlierPerc: 0 });
    expect(nearest.sign).toBe('positive');
    expect(nearest.colormap.name).toBe('inferno');
    expect(at(nearest.pixels, 3, 3)).toEqual([126, 128, 82]); // 0.5 · inferno(1) = 0.5 · (252, 255, 164)
    expect(at(nearest.pixels, 2, 2)).toEqual([126, 128, 82]);
    expect(at(nearest.pixels, 0, 0)).toEqual([0, 0, 2]); // 0.5 · inferno(0)
    const bilinear = overlay(image, cam, { outlierPerc: 0 }); // default for a coarse map
    expect(at(bilinear.pixels, 3, 3)).toEqual([126, 128, 82]);
    expect(at(bilinear.pixels, 2, 2)[0]!).toBeLessThan(126); // 0.5625 of the peak after bilinear upsampling
  });

  it('uses a fixed scale when given; an all-zero map gets scale 0 and the bottom colour', () => {
    const image = Tensor.float32([1, 2, 2], [0.5, 0.5, 0.5, 0.5]);
    const o = overlay(image, Tensor.float32([2, 2], [0.5, 0, 0, -0.25]), { scale: 1, alpha: 1 });
    // n = 0.5: colour half way up the red arm (229, 131, 104), opacity 1 · |n| = 0.5 over gray 128
    expect(at(o.pixels, 0, 0)).toEqual([179, 130, 116]);
    const zero = overlay(image, Tensor.float32([2, 2], [0, 0, 0, 0]));
    expect(zero.scale).toBe(0);
    expect(zero.sign).toBe('positive');
    expect(at(zero.pixels, 1, 1)).toEqual([64, 64, 66]); // 0.5 · 128 + 0.5 · inferno(0)
  });
});
