import { describe, expect, it } from 'vitest';
import { resizeMap } from '../../../src/render/resample.js';

const map = { width: 2, height: 2, data: Float32Array.from([1, 2, 3, 4]) };

describe('resizeMap (PyTorch F.interpolate, align_corners=False)', () => {
  it('bilinear 2×2 → 4×4 matches torch', () => {
    // torch.nn.functional.interpolate(torch.tensor([[[[1., 2], [3, 4]]]]), size=4, mode='bilinear')
    const expected = [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4];
    expect(Array.from(resizeMap(map, 4, 4, 'bilinear').data)).toEqual(expected);
  });

  it('nearest 2×2 → 3×3 matches torch (src = floor(dst · in / out))', () => {
    // F.interpolate(..., size=3, mode='nearest') -> [[1,1,2],[1,1,2],[3,3,4]]
    expect(Array.from(resizeMap(map, 3, 3, 'nearest').data)).toEqual([1, 1, 2, 1, 1, 2, 3, 3, 4]);
  });

  it('keeps a map of the right size as is', () => {
    expect(resizeMap(map, 2, 2, 'bilinear')).toBe(map);
  });
});
