import { describe, expect, it } from 'vitest';
import { loadReverse } from '../../../src/data/reverse.js';
import { recipe } from '../../../src/train/recipes/index.js';
import { train, type TrainOptions } from '../../../src/train/trainer.js';
import { MemorySink } from '../../helpers/train.js';

/** Per-position labels: the 'sequence' objective the reverse task trains with. */
const reverse = loadReverse({ symbols: 6, minLength: 3, maxLength: 5, trainSize: 4000, testSize: 200 });
const base: TrainOptions = {
  recipe: recipe('mlm') as TrainOptions['recipe'], recipeConfig: { d: 32, heads: 2, layers: 2, ff: 64, dropout: 0, tied: false },
  dataset: reverse, seed: 1, epochs: 4, batchSize: 32, optimizer: { type: 'adamw', lr: 5e-3 },
};

describe("the 'sequence' objective (per-position labels)", () => {
  it('is chosen for a dataset with per-position labels, and a small encoder learns to reverse', async () => {
    const sink = new MemorySink();
    const result = await train(base, sink);
    expect(sink.runs.get(result.runId)!.config.objective).toBe('sequence');
    // Token accuracy; chance is 1/6 with 6 symbols.
    expect(result.final.testAccuracy!).toBeGreaterThan(0.9);
  });

  it('keeps the labels under --train-limit, and refuses a recipe with one prediction per example', async () => {
    const limited = await train({ ...base, epochs: 1, trainLimit: 100, testLimit: 20 }, new MemorySink());
    expect(limited.final.trainAccuracy).toBeGreaterThan(0);
    await expect(train({ ...base, recipe: recipe('transformer') as TrainOptions['recipe'], recipeConfig: {} }, new MemorySink()))
      .rejects.toThrow(/^dataset "reverse" labels every position; train it with a recipe that predicts per position \(mlm\)/);
    await expect(train({ ...base, objective: 'classification' }, new MemorySink())).rejects.toThrow(/^this recipe predicts per position/);
  });
});
