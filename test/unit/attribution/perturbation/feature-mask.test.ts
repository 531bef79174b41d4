import { describe, expect, it } from 'vitest';
import { elementsByFeature, featureMask, maskRow } from '../../../../src/attribution/perturbation/feature-mask.js';
import { Tensor } from '../../../../src/tensor/tensor.js';

const input = Tensor.float32([2, 3, 2, 2]);
const ids = (values: number[], shape: number[]): Tensor => new Tensor('int32', shape, Int32Array.from(values));

describe('feature masks', () => {
  it('default: every element of a row is its own feature, in row-major order', () => {
    const m = featureMask(input);
    expect([m.rows, m.rowSize, m.min, m.count]).toEqual([1, 12, 0, 12]);
    expect(Array.from(m.ids)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('broadcasts like torch: [1, 1, H, W] or [H, W] shares ids across channels; a batch dim of N gives one mask per row', () => {
    const spatial = [5, 5, 7, 8];
    for (const m of [featureMask(input, ids(spatial, [1, 1, 2, 2])), featureMask(input, ids(spatial, [2, 2]))]) {
      expect(m.rows).toBe(1);
      expect(Array.from(m.ids)).toEqual([...spatial, ...spatial, ...spatial]);
      expect([m.min, m.count]).toEqual([5, 9]);
    }
    const perChannel = featureMask(input, ids([0, 1, 2], [3, 1, 1]));
    expect(Array.from(perChannel.ids)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    const perRow = featureMask(input, ids([0, 1, 1, 0, 2, 2, 3, 3], [2, 1, 2, 2]));
    expect(perRow.rows).toBe(2);
    expect(Array.from(maskRow(perRow, 1))).toEqual([2, 2, 3, 3, 2, 2, 3, 3, 2, 2, 3, 3]);
    expect(Array.from(elementsByFeature(perRow, 0)[1]!)).toEqual([1, 2, 5, 6, 9, 10]);
    expect(elementsByFeature(perRow, 0)[3]).toHaveLength(0);
  });

  it('refuses masks that do not broadcast, and ids that are not non-negative integers', () => {
    expect(() => featureMask(input, ids([0, 1, 2], [3]))).toThrow(/^the feature mask has shape \[3\], which does not broadcast to the input's shape \[2, 3, 2, 2\]/);
    expect(() => featureMask(input, ids(new Array(36).fill(0), [3, 3, 2, 2]))).toThrow(/does not broadcast/);
    expect(() => featureMask(input, ids(new Array(24).fill(0), [1, 2, 3, 2, 2]))).toThrow(/does not broadcast/);
    expect(() => featureMask(input, Tensor.float32([2, 2], [0, 1, 0.5, 1]))).toThrow(/feature ids must be non-negative integers, got 0.5/);
    expect(() => featureMask(input, ids([0, -1, 0, 1], [2, 2]))).toThrow(/got -1/);
  });
});
