/** What the measure refuses, each with a one-line GlassboxError that says what to do. */
import { describe, expect, it } from 'vitest';
import { InformationMeasure, information, unitsPerPosition } from '../../../../src/analysis/information/index.js';
import { GlassboxError } from '../../../../src/util/errors.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { maskedModel, randn, transformerFixture } from './models.js';

async function failure(promise: Promise<unknown>): Promise<GlassboxError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GlassboxError);
  expect((error as Error).message).not.toContain('\n');
  return error as GlassboxError;
}

describe('information errors', () => {
  const model = maskedModel({ hidden: 1 });
  const x = randn([1, 5, 4], 1);

  it('names the closest tensors for a layer that does not exist', async () => {
    const error = await failure(InformationMeasure.create(model, { input: 'x', layers: ['layr'] }));
    expect(error.code).toBe('bad-tensor-name');
    expect(error.message).toMatch(/no tensor named "layr" \(did you mean "layer"/);
  });

  it('refuses a layer computed before the input, and one that does not depend on it', async () => {
    const { model: transformer } = transformerFixture();
    const before = await failure(InformationMeasure.create(transformer, { input: '/Add_output_0', layers: ['/tok/Gather_output_0'] }));
    expect(before.message).toMatch(/computed before "\/Add_output_0"/);
    // The positional embeddings are added after the cut point of the token lookup, but never see it.
    const unrelated = await failure(InformationMeasure.create(transformer, { input: '/tok/Gather_output_0', layers: ['/pos/Gather_output_0'] }));
    expect(unrelated.code).toBe('no-dependency');
    expect(unrelated.message).toMatch(/does not depend on "\/tok\/Gather_output_0"/);
  });

  it('refuses a layer whose batch rows cannot be told apart when rows are batched', async () => {
    const { model: transformer, ids } = transformerFixture();
    // [seq·batch, 32], seq-major: the rows of a batch interleave.
    const layer = '/encoder/layers.0/self_attn/Gemm_output_0';
    const measure = await InformationMeasure.create(transformer, { input: '/Add_output_0', layers: [layer] });
    try {
      const embeddings = (await measure.values({ embeddings: Tensor.float32([1, 7, 32], new Float32Array(7 * 32)), extra: { input_ids: ids } }))[layer]!;
      expect(embeddings.shape).toEqual([7, 32]);
      const error = await failure(measure.measure({ embeddings: randn([1, 7, 32], 2), extra: { input_ids: ids } }, { steps: 5 }));
      expect(error.message).toMatch(/mixes the rows of a batch.*noiseSamples 1 and batchLayers false/);
      // One row per run needs no batch axis: it works.
      const one = await measure.measure({ embeddings: randn([1, 7, 32], 2), extra: { input_ids: ids } }, { steps: 5, noiseSamples: 1 });
      expect(one.layers[0]!.sigma).toHaveLength(7);
    } finally {
      await measure.release();
    }
  });

  it('checks options and inputs before any work', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ steps: 0 }, /steps must be a whole number ≥ 1/],
      [{ lambda: -1 }, /lambda must be a finite number ≥ 0/],
      [{ noiseSamples: 2.5 }, /noiseSamples must be a whole number ≥ 1/],
      [{ scale: 0 }, /scale must be a finite number > 0/],
      [{ lr: Number.NaN }, /lr must be a finite number > 0/],
      [{ earlyStop: { window: 0 } }, /earlyStop needs whole window ≥ 1/],
      [{ units: unitsPerPosition([1, 6, 4]) }, /does not broadcast to the input's \[5, 4\]/],
      [{ units: { map: Int32Array.from([0, 2, 2, -1, 0]), shape: [5, 1] } }, /unit 1 has no input element/],
      [{ s: { nope: Tensor.float32([1], [1]) } }, /s is given for "nope", which is not a measured layer/],
      [{ s: { layer: Tensor.float32([3], [1, 1, 1]) } }, /s for layer "layer" has shape \[3\], which does not broadcast to \[1, 5, 4\]/],
      [{ initial: { layer: [0, 0] } }, /initial r for layer "layer" has 2 entries for 5 units/],
      [{ samples: [{ embeddings: x }] }, /at least 2 sampled inputs/],
    ];
    const measure = await InformationMeasure.create(model, { input: 'x', layers: ['layer'] });
    try {
      for (const [options, message] of cases) expect((await failure(measure.measure({ embeddings: x }, options))).message).toMatch(message);
      expect((await failure(measure.measure({ embeddings: randn([2, 5, 4], 1) }))).message).toMatch(/must be one row shaped like "x" \[1, 5, 4\]/);
      const nan = randn([1, 5, 4], 1);
      (nan.data as Float32Array)[3] = Number.NaN;
      expect((await failure(measure.measure({ embeddings: nan }))).message).toMatch(/holds NaN at flat index 3/);
    } finally {
      await measure.release();
    }
    await failure(information(model, { embeddings: x }, { input: 'x', layers: [] }));
    expect((await failure(information(model, { embeddings: x }, { input: 'x', layers: ['layer', 'layer'] }))).message).toMatch(/listed twice/);
    expect((await failure(information(model, { embeddings: x }, { input: 'y', layers: ['layer'] }))).message).toMatch(/no tensor named "y"/);
  });
});
