import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { deletionCurve, gaussianBlur, insertionCurve, trapezoidAuc } from '../../../../src/attribution/metrics/index.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { B, float32, integratedGradients, linearModel, row, W } from './helpers.js';

/** logits for a flat row of 4 values (float64). */
function logits(x: number[]): number[] {
  return B.map((b, t) => b + x.reduce((s, v, i) => s + v * W[i]![t]!, 0));
}

function softmax(z: number[], t: number): number {
  const m = Math.max(...z);
  return Math.exp(z[t]! - m) / z.reduce((s, v) => s + Math.exp(v - m), 0);
}

/** The expected curve: features (lists of element indices) applied in `order` from `start` to `finish`. */
function expectedCurve(start: number[], finish: number[], order: number[][], score: (x: number[]) => number, bounds: number[]): number[] {
  return bounds.map((k) => {
    const x = [...start];
    for (const f of order.slice(0, k)) for (const e of f) x[e] = finish[e]!;
    return score(x);
  });
}

function close(got: ArrayLike<number>, want: number[], tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(want[i]!)));
}

describe('deletion and insertion curves (RISE)', () => {
  let linear: Explainable;
  let summed: Explainable;
  beforeAll(async () => {
    linear = await linearModel();
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 100]);
    b.output(b.op('ReduceSum', [x, b.constant('axes', Tensor.int64([1], [1]))], { keepdims: 1 }));
    summed = await Explainable.create(b.model());
  });
  afterAll(async () => {
    await linear.release();
    await summed.release();
  });

  it('integrates known curves by the trapezoid rule', () => {
    expect(trapezoidAuc([0, 0.5, 1], [1, 0.5, 0])).toBeCloseTo(0.5, 12);
    expect(trapezoidAuc([0, 0.25, 1], [0.7, 0.7, 0.7])).toBeCloseTo(0.7, 12);
    expect(trapezoidAuc([0, 0.25, 1], [0, 1, 1])).toBeCloseTo(0.125 + 0.75, 12);
    expect(() => trapezoidAuc([0, 1], [1])).toThrow(/as many x as y values/);
  });

  it('follows the closed form on a linear model with exact (IG) attributions: deletion falls monotonically, insertion rises', async () => {
    // All attributions x_i·w_i for target 1 are positive here, so every deletion step lowers F.
    const x = float32([1, 4], [-0.4, 2.0, 1.5, -0.5]);
    const attr = await integratedGradients(linear, x, 1);
    expect(row(attr, 0).every((v) => v > 0)).toBe(true);
    const order = row(attr, 0).map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => [i]);
    const raw = (v: number[]): number => logits(v)[1]!;
    const del = await deletionCurve(linear, x, attr, { target: 1, probability: 'raw' });
    const ins = await insertionCurve(linear, x, attr, { target: 1, probability: 'raw' });
    close(del.fractions, [0, 0.25, 0.5, 0.75, 1], 1e-12);
    close(del.scores[0]!, expectedCurve(row(x, 0), [0, 0, 0, 0], order, raw, [0, 1, 2, 3, 4]));
    close(ins.scores[0]!, expectedCurve([0, 0, 0, 0], row(x, 0), order, raw, [0, 1, 2, 3, 4]));
    for (let i = 1; i < 5; i++) {
      expect(del.scores[0]![i]!).toBeLessThan(del.scores[0]![i - 1]!);
      expect(ins.scores[0]![i]!).toBeGreaterThan(ins.scores[0]![i - 1]!);
    }
    expect(del.auc[0]!).toBeCloseTo(trapezoidAuc(del.fractions, del.scores[0]!), 12);
    // The exact attributions' order is the best one for deletion: reversed, the area is larger.
    const reversed = new Tensor('float32', attr.shape, (attr.data as Float32Array).map((v) => -v));
    expect((await deletionCurve(linear, x, reversed, { target: 1, probability: 'raw' })).auc[0]!).toBeGreaterThan(del.auc[0]!);
  });

  it('records softmax probabilities by default, per-row targets, and the same numbers in any batch size', async () => {
    const x = float32([2, 4], [0.3, -1.2, 0.8, 2.0, -0.5, 0.7, 1.1, -0.9]);
    const attr = float32([2, 4], [0.1, 0.4, -0.3, 0.2, 1, -1, 0.5, 0]);
    const curve = await deletionCurve(linear, x, attr, { target: [0, 2], nSteps: 2 });
    expect([...curve.fractions]).toEqual([0, 0.5, 1]);
    close(curve.scores[0]!, expectedCurve(row(x, 0), [0, 0, 0, 0], [[1], [3], [0], [2]], (v) => softmax(logits(v), 0), [0, 2, 4]));
    close(curve.scores[1]!, expectedCurve(row(x, 1), [0, 0, 0, 0], [[0], [2], [3], [1]], (v) => softmax(logits(v), 2), [0, 2, 4]));
    const small = await deletionCurve(linear, x, attr, { target: [0, 2], nSteps: 2, internalBatchSize: 1 });
    for (let r = 0; r < 2; r++) close(small.scores[r]!, [...curve.scores[r]!], 1e-6);
    const sig = await insertionCurve(linear, x, attr, { target: [0, 2], nSteps: 2, probability: 'sigmoid' });
    close(sig.scores[1]!, expectedCurve([0, 0, 0, 0], row(x, 1), [[0], [2], [3], [1]], (v) => 1 / (1 + Math.exp(-logits(v)[2]!)), [0, 2, 4]));
  });

  it('groups token embeddings per token and image channels per pixel', async () => {
    const tokens = await linearModel([2, 2]);
    const x = float32([1, 2, 2], [1, 2, -1, 0.5]);
    // Token scores: 0.1 + 0.2 = 0.3 for token 0, 0.9 − 0.1 = 0.8 for token 1 → token 1 first.
    const attr = float32([1, 2, 2], [0.1, 0.2, 0.9, -0.1]);
    const pad = float32([1, 2, 2], [0.5, 0.5, 0.5, 0.5]);
    const curve = await deletionCurve(tokens, x, attr, { target: 0, probability: 'raw', baselines: pad });
    expect([...curve.fractions]).toEqual([0, 0.5, 1]);
    close(curve.scores[0]!, expectedCurve(row(x, 0), [0.5, 0.5, 0.5, 0.5], [[2, 3], [0, 1]], (v) => logits(v)[0]!, [0, 1, 2]));
    await tokens.release();

    const image = await linearModel([2, 1, 2]);
    const img = float32([1, 2, 1, 2], [1, 2, 3, 4]);
    // Pixel scores (channels summed): pixel 0: 0.5 + 0.1, pixel 1: −0.2 + 0.9 → pixel 1 first.
    const imgAttr = float32([1, 2, 1, 2], [0.5, -0.2, 0.1, 0.9]);
    const pixels = await deletionCurve(image, img, imgAttr, { target: 2, probability: 'raw' });
    close(pixels.scores[0]!, expectedCurve(row(img, 0), [0, 0, 0, 0], [[1, 3], [0, 2]], (v) => logits(v)[2]!, [0, 1, 2]));
    const elements = await deletionCurve(image, img, imgAttr, { target: 2, probability: 'raw', features: 'element' });
    expect(elements.fractions).toHaveLength(5);
    // 'mean' replaces a pixel by its channel's mean: channel 0 → 1.5, channel 1 → 3.5.
    const mean = await insertionCurve(image, img, imgAttr, { target: 2, probability: 'raw', baselines: 'mean' });
    close([mean.scores[0]![0]!], [logits([1.5, 1.5, 3.5, 3.5])[2]!]);
    const masked = await deletionCurve(image, img, imgAttr, { target: 2, probability: 'raw', featureMask: Tensor.int64([2, 1, 2], [7, 3, 3, 7]) });
    // Groups {0, 3} (0.5 + 0.9) and {1, 2} (−0.2 + 0.1): the first goes first.
    close(masked.scores[0]!, expectedCurve(row(img, 0), [0, 0, 0, 0], [[0, 3], [1, 2]], (v) => logits(v)[2]!, [0, 1, 2]));
    await image.release();
  });

  it('spreads steps evenly (50 by default) or takes featuresPerStep at a time', async () => {
    const x = float32([1, 100], Array.from({ length: 100 }, (_, i) => i + 1));
    const attr = x;
    const curve = await deletionCurve(summed, x, attr);
    expect(curve.fractions).toHaveLength(51);
    expect(curve.fractions[1]).toBeCloseTo(0.02, 12);
    // Raw output (one value per row): deleting the two largest values per step.
    close([curve.scores[0]![0]!, curve.scores[0]![1]!, curve.scores[0]![50]!], [5050, 5050 - 199, 0]);
    const perStep = await deletionCurve(summed, x, attr, { featuresPerStep: 30 });
    close(perStep.fractions, [0, 0.3, 0.6, 0.9, 1], 1e-12);
    const three = await deletionCurve(linear, float32([1, 4], [1, 1, 1, 1]), float32([1, 4], [4, 3, 2, 1]), { target: 0, nSteps: 3 });
    close(three.fractions, [0, 0.25, 0.75, 1], 1e-12);
    expect((await deletionCurve(linear, float32([1, 4], [1, 1, 1, 1]), float32([1, 4], [4, 3, 2, 1]), { target: 0, nSteps: 9 })).fractions).toHaveLength(5);
  });

  it('blurs images with a normalised Gaussian (constant images stay constant)', () => {
    const flat = gaussianBlur(Tensor.float32([1, 1, 5, 6], new Float32Array(30).fill(0.7)));
    expect(Math.max(...Array.from(flat.data as Float32Array, (v) => Math.abs(v - 0.7)))).toBeLessThan(1e-6);
    const spike = new Float32Array(49);
    spike[24] = 1;
    const blurred = gaussianBlur(Tensor.float32([1, 1, 7, 7], spike), 3, 1).data as Float32Array;
    const g = [Math.exp(-0.5), 1, Math.exp(-0.5)];
    const s = g[0]! + g[1]! + g[2]!;
    expect(blurred[24]).toBeCloseTo(1 / (s * s), 6);
    expect(blurred[23]).toBeCloseTo(g[0]! / (s * s), 6);
    expect(blurred[0]).toBe(0);
  });

  it('refuses mismatched shapes and bad options with one-line errors', async () => {
    const x = float32([1, 4], [1, 2, 3, 4]);
    await expect(deletionCurve(linear, x, float32([1, 3], [1, 2, 3]), { target: 0 })).rejects.toThrow(/attributions of shape \[1, 3\] do not match the input's shape \[1, 4\]/);
    await expect(deletionCurve(linear, x, x, { target: 0, nSteps: 0 })).rejects.toThrow(/nSteps must be a positive integer, got 0/);
    await expect(deletionCurve(linear, x, x, { target: 0, featuresPerStep: 1.5 })).rejects.toThrow(/featuresPerStep must be a positive integer/);
    await expect(insertionCurve(linear, x, x, { target: 0, baselines: 'blur' })).rejects.toThrow(/blur baseline needs images \[N, C, H, W\]/);
    await expect(deletionCurve(linear, x, x, { target: 0, features: 'pixel' })).rejects.toThrow(/per-pixel features need inputs/);
    await expect(deletionCurve(linear, x, x, { target: 0, featureMask: Tensor.int64([3], [0, 1, 2]) })).rejects.toThrow(/feature mask has shape \[3\]/);
    await expect(deletionCurve(linear, x, x, { target: 0, baselines: float32([1, 3], [0, 0, 0]) })).rejects.toThrow(/baseline has shape \[1, 3\]/);
    await expect(deletionCurve(linear, x, x, { target: 7 })).rejects.toThrow(/target 7 is out of range/);
  });
});
