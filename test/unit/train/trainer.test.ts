import { describe, expect, it } from 'vitest';
import { train } from '../../../src/train/trainer.js';
import { blobs, MemorySink, tinyMlp } from '../../helpers/train.js';

const base = {
  recipe: tinyMlp as never, dataset: blobs(), seed: 1, epochs: 4, batchSize: 16,
  optimizer: { type: 'sgd' as const, lr: 0.2, momentum: 0.9 },
};

describe('trainer', () => {
  it('learns a separable problem and records metrics per epoch', async () => {
    const sink = new MemorySink();
    const result = await train(base, sink);
    expect(sink.runs.get(result.runId)!.status).toBe('completed');
    expect(sink.metrics).toHaveLength(4);
    const first = sink.metrics[0]!.metrics;
    expect(result.final.testAccuracy).toBeGreaterThan(0.9);
    expect(result.final.trainLoss!).toBeLessThan(first.trainLoss!);
    expect(result.final.step).toBe(4 * 6);
  });

  it('is deterministic from its seed, and another seed gives other weights', async () => {
    const [a, b, c] = [await train(base, new MemorySink()), await train(base, new MemorySink()), await train({ ...base, seed: 2 }, new MemorySink())];
    expect([...(a.weights.get('fc1.weight')!.data as Float32Array)]).toEqual([...(b.weights.get('fc1.weight')!.data as Float32Array)]);
    expect([...(a.weights.get('fc1.weight')!.data as Float32Array)]).not.toEqual([...(c.weights.get('fc1.weight')!.data as Float32Array)]);
  });

  it('resumed from a mid-epoch checkpoint, reaches exactly the uninterrupted result', async () => {
    const whole = await train({ ...base, optimizer: { type: 'adam', lr: 0.05 } }, new MemorySink());
    const sink = new MemorySink();
    await train({ ...base, optimizer: { type: 'adam', lr: 0.05 }, epochs: 4, checkpointAt: (step) => step === 9 }, sink);
    const mid = sink.checkpoints.find((c) => c.metrics.step === 9)!;
    const resumed = await train({ ...base, optimizer: { type: 'adam', lr: 0.05 }, resume: { runId: 'run1', state: mid.state } }, sink);
    for (const [name, t] of whole.weights) expect([...(resumed.weights.get(name)!.data as Float32Array)], name).toEqual([...(t.data as Float32Array)]);
  });

  it('fits fully random labels given enough steps (memorisation)', async () => {
    const result = await train({ ...base, dataset: blobs(32, 16), epochs: 150, batchSize: 8, randomLabels: 1, recipeConfig: { hidden: 64, keep: 1 }, optimizer: { type: 'adam', lr: 0.02 } }, new MemorySink());
    expect(result.final.trainAccuracy!).toBeGreaterThan(0.95);
  });

  it('stops with a one-line error naming the step when a batch holds NaN', async () => {
    const dataset = blobs();
    const poisoned = { ...dataset, train: { ...dataset.train, inputs: (indices: readonly number[]) => {
      const x = dataset.train.inputs(indices);
      (x.data as Float32Array)[3] = NaN;
      return x;
    } } };
    await expect(train({ ...base, dataset: poisoned }, new MemorySink())).rejects.toThrow(/^the training batch of step 1 contains NaN \(at flat index 3\): clean the dataset$/);
  });

  it('stops with a one-line error when the loss diverges', async () => {
    await expect(train({ ...base, optimizer: { type: 'sgd', lr: 1e30 } }, new MemorySink())).rejects.toThrow(/^training diverged at step \d+: the loss is (NaN|Infinity)/);
  });
});
