import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explainable } from '../../../../src/attribution/explainable.js';
import { FeatureAblation, KernelShap, Lime, Occlusion, ShapleyValueSampling } from '../../../../src/attribution/perturbation/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { tinyModel, W } from './models.js';

const X = [[1, 2, -1, 0.5], [-0.5, 1.5, 2, -2]];
const input = Tensor.float32([2, 4], X.flat());
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

let plain: Explainable;
let scaled: Explainable;
beforeAll(async () => {
  plain = await tinyModel();
  scaled = await tinyModel({ scaled: true });
});
afterAll(async () => {
  await plain.release();
  await scaled.release();
});

describe('extra inputs and progress', () => {
  it('passes additionalForwardArgs per row (gathered for each copy) or as one broadcast row', async () => {
    const perRow = { s: Tensor.float32([2, 1], [2, -1]) };
    const want = X.flatMap((x, r) => x.map((v, i) => [2, -1][r]! * W[i]![0]! * v));
    for (const method of [new FeatureAblation(scaled), new ShapleyValueSampling(scaled), new KernelShap(scaled)]) {
      const { attributions } = await method.attribute(input, { target: 0, additionalForwardArgs: perRow, nSamples: 12 } as never);
      expect(maxDiff(attributions.data as Float32Array, want)).toBeLessThan(1e-4);
    }
    const shared = await new FeatureAblation(scaled).attribute(input, { target: 0, additionalForwardArgs: { s: Tensor.float32([1, 1], [3]) } });
    expect(maxDiff(shared.attributions.data as Float32Array, X.flatMap((x) => x.map((v, i) => 3 * W[i]![0]! * v)))).toBeLessThan(1e-5);
    await expect(new FeatureAblation(scaled).attribute(input, { target: 0, additionalForwardArgs: { s: Tensor.float32([3, 1]) } })).rejects.toThrow(/additional input "s" has 3 rows; give one row, or one per input row \(2\)/);
  });

  it('reports progress over all perturbed copies, ending at the total', async () => {
    const calls: [number, number][] = [];
    await new ShapleyValueSampling(plain).attribute(input, { target: 1, nSamples: 3, perturbationsPerEval: 2, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.at(-1)).toEqual([3 * 4 * 2, 3 * 4 * 2]);
    expect(calls.every(([done], i) => i === 0 || done >= calls[i - 1]![0])).toBe(true);
  });
});

describe('errors (one line each)', () => {
  it('refuses bad windows', async () => {
    const occlusion = new Occlusion(plain);
    await expect(occlusion.attribute(input, { target: 0, slidingWindowShapes: [5] })).rejects.toThrow(/^the sliding window \[5\] is larger than the input rows \[4\] \(dim 1\)$/);
    await expect(occlusion.attribute(input, { target: 0, slidingWindowShapes: [2, 2] })).rejects.toThrow(/slidingWindowShapes must give 1 extents/);
    await expect(occlusion.attribute(input, { target: 0, slidingWindowShapes: [2], strides: 3 })).rejects.toThrow(/a stride \(3\) larger than the window \(2\) would skip elements/);
    await expect(occlusion.attribute(input, { target: 0, slidingWindowShapes: [0] })).rejects.toThrow(/window extents must be positive integers/);
  });

  it('refuses a mask of the wrong shape, targets out of range, and baselines of the wrong shape', async () => {
    const ablation = new FeatureAblation(plain);
    await expect(ablation.attribute(input, { target: 0, featureMask: Tensor.float32([3], [0, 1, 2]) })).rejects.toThrow(/^the feature mask has shape \[3\], which does not broadcast to the input's shape \[2, 4\]/);
    await expect(ablation.attribute(input, { target: 5 })).rejects.toThrow(/^target 5 is out of range \(the output has classes 0\.\.1\)$/);
    await expect(new Lime(plain).attribute(input, { target: [0, 2] })).rejects.toThrow(/target 2 is out of range/);
    await expect(ablation.attribute(input, { target: [0, 1, 1] })).rejects.toThrow(/^3 targets given for 2 input rows/);
    await expect(ablation.attribute(input, {})).rejects.toThrow(/the output has 2 values per row; give a target class/);
    await expect(ablation.attribute(input, { target: 0, baselines: Tensor.float32([3]) })).rejects.toThrow(/^the baseline has shape \[3\] but the input has shape \[2, 4\]/);
  });

  it('refuses bad permutations, samples and counts', async () => {
    await expect(new ShapleyValueSampling(plain).attribute(input, { target: 0, permutations: [[0, 1, 2, 2]] })).rejects.toThrow(/each permutation must order the features 0 … 3 once each, got \[0, 1, 2, 2\]/);
    await expect(new KernelShap(plain).attribute(input, { target: 0, samples: Tensor.float32([5, 3]) })).rejects.toThrow(/samples must be shaped \[nSamples, 4\] or \[2, nSamples, 4\]/);
    await expect(new Lime(plain).attribute(input, { target: 0, samples: Tensor.float32([1, 4], [1, 0, 2, 1]) })).rejects.toThrow(/samples must be 0 or 1, got 2/);
    await expect(new Lime(plain).attribute(input, { target: 0, nSamples: 0 })).rejects.toThrow(/nSamples must be a positive integer, got 0/);
    await expect(new FeatureAblation(plain).attribute(input, { target: 0, perturbationsPerEval: 1.5 })).rejects.toThrow(/perturbationsPerEval must be a positive integer/);
  });
});
