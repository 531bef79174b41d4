import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/onnx/io.js';
import { Session, SessionCache } from '../../../src/runtime/session.js';
import { latestProfile, readProfile, summariseProfile } from '../../../src/runtime/profile.js';
import { runBatched, chunkSize } from '../../../src/runtime/batching.js';
import { probeShapes } from '../../../src/runtime/probe.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { fixtureIO, fixturePath, paddleModel } from '../../helpers/fixtures.js';
import { maxAbsDiff, relError } from '../../helpers/compare.js';

const pytorchFixtures = ['cnn_opset17', 'cnn_external_opset17', 'transformer_opset17', 'lstm_opset17', 'gru_opset17', 'bilstm_opset17', 'mlp_opset17'];

describe('Session', () => {
  it.each(pytorchFixtures)('%s reproduces the PyTorch outputs', async (name) => {
    const session = await Session.create(loadModel(fixturePath(name)));
    const io = fixtureIO(name);
    const out = await session.run(io.inputs);
    for (const [key, want] of Object.entries(io.outputs)) expect(relError(out[key]!, want)).toBeLessThan(1e-5);
    await session.release();
  });

  it('writes onnxruntime\'s profile, one event per node run, when asked (RuntimeOptions.profile)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-profile-test-'));
    try {
      const session = await Session.create(loadModel(fixturePath('cnn_opset17')), { deterministic: true, profile: join(dir, 'cnn') });
      for (let i = 0; i < 3; i++) await session.run({ input: Tensor.float32([2, 1, 28, 28]) });
      await session.release();
      const { runs, byOp } = summariseProfile(readProfile(latestProfile(join(dir, 'cnn'))!));
      expect(runs).toBe(3);
      expect(byOp.get('Conv')).toBeGreaterThan(0);
      await expect(Session.create(loadModel(fixturePath('cnn_opset17')), { profile: join(dir, 'missing', 'cnn') })).rejects.toThrow(/cannot write the profile: folder .*missing does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects wrong names, dtypes, shapes and NaN with one-line messages', async () => {
    const session = await Session.create(loadModel(fixturePath('cnn_opset17')));
    const good = Tensor.float32([2, 1, 28, 28]);
    await expect(session.run({ image: good })).rejects.toThrow(/no input "image" \(its inputs: "input"\)/);
    await expect(session.run({})).rejects.toThrow(/missing input "input"/);
    await expect(session.run({ input: Tensor.float64([2, 1, 28, 28]) })).rejects.toThrow(/input "input" must be float32, got float64/);
    await expect(session.run({ input: Tensor.float32([2, 28, 28]) })).rejects.toThrow(/must have 4 dimensions/);
    await expect(session.run({ input: Tensor.float32([2, 3, 28, 28]) })).rejects.toThrow(/dimension 1 should be 1/);
    const nan = Tensor.float32([2, 1, 28, 28]);
    nan.data[17] = NaN;
    await expect(session.run({ input: nan })).rejects.toThrow(/contains NaN \(at flat index 17\)/);
    await expect(session.run({ input: good }, { outputs: ['nope'] })).rejects.toThrow(/no output "nope"/);
    await session.release();
  });

  it('caches sessions by model bytes and options', async () => {
    const cache = new SessionCache(2);
    const model = loadModel(fixturePath('mlp_opset17'));
    const a = await cache.get(model);
    expect(await cache.get(loadModel(fixturePath('mlp_opset17')))).toBe(a);
    expect(await cache.get(model, { deterministic: true })).not.toBe(a);
    await cache.get(loadModel(fixturePath('cnn_opset17')));
    expect(cache.size).toBe(2);
    await cache.clear();
  });

  it('deterministic runs are bit-identical', async () => {
    const model = loadModel(fixturePath('transformer_opset17'));
    const io = fixtureIO('transformer_opset17');
    const s1 = await Session.create(model, { deterministic: true });
    const s2 = await Session.create(model, { deterministic: true });
    const [o1, o2] = [await s1.run(io.inputs), await s2.run(io.inputs)];
    expect(maxAbsDiff(o1.logits!, o2.logits!)).toBe(0);
  });
});

describe('runBatched', () => {
  it('splits along the batch axis and gives the same result as one run', async () => {
    const session = await Session.create(loadModel(fixturePath('cnn_opset17')));
    const x = Tensor.float32([7, 1, 28, 28], Array.from({ length: 7 * 784 }, (_, i) => Math.sin(i)));
    const whole = await session.run({ input: x });
    const chunks: number[] = [];
    const parts = await runBatched(session, { input: x }, { batchSize: 3, onProgress: (done) => chunks.push(done) });
    expect(chunks).toEqual([3, 6, 7]);
    expect(maxAbsDiff(parts.logits!, whole.logits!)).toBeLessThan(1e-6);
  });

  it('derives the chunk size from a memory budget', () => {
    expect(chunkSize(100, { bytesPerSample: 1000, memoryBudget: 10_000 })).toBe(10);
    expect(chunkSize(100, { bytesPerSample: 1e9, memoryBudget: 10 })).toBe(1);
    expect(chunkSize(5, {})).toBe(5);
    expect(() => chunkSize(5, { batchSize: 0 })).toThrow(/positive integer/);
  });
});

describe('probeShapes', () => {
  it('marks the batch dim symbolic and others static (CNN)', async () => {
    const report = await probeShapes(loadModel(fixturePath('cnn_opset17')));
    expect(report.batchSymbol).toBe('batch');
    expect(report.values.get('/conv1/Conv_output_0')?.shape).toEqual(['batch', 4, 28, 28]);
    expect(report.values.get('/pool2/Constant_output_0')?.shape).toEqual([8]);
    // conv1 + relu: 2 x 4*28*28 floats per sample, among others.
    expect(report.bytesPerSample).toBeGreaterThan(2 * 4 * 28 * 28 * 4);
  });

  it('marks sequence dims that vary (Transformer)', async () => {
    const report = await probeShapes(loadModel(fixturePath('transformer_opset17')));
    const shapes = [...report.values.values()].map((v) => v.shape);
    expect(shapes).toContainEqual(['batch', 'seq', 32]);
  });

  it('works on the PaddleOCR recognizer (symbolic width)', async () => {
    const report = await probeShapes(loadModel(paddleModel('rec')));
    expect(report.batchSymbol).toBe('p2o.DynamicDimension.0');
    expect(report.values.size).toBeGreaterThan(300);
  });
});
