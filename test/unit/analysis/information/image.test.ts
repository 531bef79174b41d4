/**
 * The measure on images, as `glassbox information --image/--example` runs it: σ per patch,
 * the record's patch layout, the kept map drawn over the image, and the terminal summary.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPatch, measureImage } from '../../../../src/analysis/information/image.js';
import { informationImagePng, informationSummary, keptMap, stackPngs, type InformationRecord } from '../../../../src/analysis/information/report/index.js';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { maskedImageModel, randn } from './models.js';

describe('information on an image', () => {
  let explainable: Explainable;
  let record: InformationRecord;
  const x = randn([1, 1, 8, 8], 9);

  beforeAll(async () => {
    explainable = await Explainable.create(maskedImageModel(), { input: 'x' });
    record = await measureImage(explainable, x, {}, 'masked', { layers: 'layer', patch: 4, seed: 2, source: 'a random image' });
  });
  afterAll(() => explainable?.release());

  it('gives the patch that cannot reach the layer the largest σ, and lays the patches out row by row', () => {
    expect(record.image).toEqual({ height: 8, width: 8, patch: 4, across: 2, down: 2 });
    expect(record.tokens).toEqual(['0,0', '0,1', '1,0', '1,1']);
    const [layer] = record.layers;
    expect(layer!.name).toBe('layer');
    // The top-left 4×4 block is multiplied by zero before the convolution.
    expect(layer!.sigma[0]! / record.scale).toBeGreaterThan(0.97);
    for (const s of layer!.sigma.slice(1)) expect(s / record.scale).toBeLessThan(0.5);
    expect(record.text).toBe('a random image');
  });

  it('draws the layer\'s σ back over the image: 0 where forgotten, −log(σ/scale) at every pixel of a patch', () => {
    const map = keptMap(record, 0);
    expect(map.shape).toEqual([1, 1, 8, 8]);
    const v = map.data as Float32Array;
    const sigma = record.layers[0]!.sigma;
    expect(v[0]).toBeCloseTo(-Math.log(sigma[0]! / record.scale), 5);
    expect(v[0]).toBeLessThan(0.05);
    // Pixel (5, 6) is in patch (1, 1).
    expect(v[5 * 8 + 6]).toBeCloseTo(-Math.log(sigma[3]! / record.scale), 5);
  });

  it('the picture is the image and one panel per layer; several stack into one PNG', async () => {
    const png = await informationImagePng(record, x);
    const one = await sharp(png).metadata();
    expect(one.format).toBe('png');
    const two = await sharp(await stackPngs([png, png])).metadata();
    expect([two.width, two.height]).toEqual([one.width, 2 * one.height!]);
  });

  it('the terminal summary names each layer\'s mean and the patches kept best and worst', () => {
    const lines = informationSummary(record).split('\n');
    expect(lines[0]).toMatch(/^masked {2}· {2}scale [\d.]+ {2}· {2}2×2 patches of 4×4 px \(row,col\)/);
    expect(lines[2]).toMatch(/^ {2}layer\s+-?\d+\.\d\d {3}kept best \d,\d \(-?\d+\.\d\d\), forgotten most 0,0 \(-0\.0\d\)$/);
  });

  it('picks patches of at most 14 per side by default, and refuses a patch larger than the image', async () => {
    expect([defaultPatch(28, 28), defaultPatch(224, 224), defaultPatch(8, 8)]).toEqual([2, 16, 1]);
    await expect(measureImage(explainable, x, {}, 'masked', { layers: 'layer', patch: 9, source: 'x' })).rejects.toThrow(/--patch must be a whole number of pixels from 1 to 8, got 9/);
  });
});
