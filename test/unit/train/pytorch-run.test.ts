import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/data/index.js';
import { recipe } from '../../../src/train/recipes/index.js';
import { train } from '../../../src/train/trainer.js';
import { ROOT } from '../../helpers/fixtures.js';
import { MemorySink } from '../../helpers/train.js';

/**
 * The same recipe, seed, data and batch order trained in glassbox and in PyTorch
 * (scripts/fixtures/export_train_reference.py replays glassbox's initial weights and order):
 * the loss at every step and the final weights must agree to float32 accuracy.
 */
describe('a training run against PyTorch', () => {
  it('MLP on 128 MNIST images, SGD with momentum: same loss curve and weights', async () => {
    const reference = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'train', 'mlp_run.json'), 'utf8')) as {
      run: { seed: number; examples: number; batchSize: number; epochs: number; hidden: number[]; lr: number; momentum: number };
      losses: number[];
      weights: Record<string, { data: number[] }>;
    };
    const { run } = reference;
    const losses: number[] = [];
    const result = await train({
      recipe: recipe('mlp') as never, recipeConfig: { hidden: run.hidden, dropout: 0 }, dataset: loadDataset('mnist'), seed: run.seed,
      epochs: run.epochs, batchSize: run.batchSize, trainLimit: run.examples, testLimit: 100,
      optimizer: { type: 'sgd', lr: run.lr, momentum: run.momentum }, onStep: (p) => losses.push(p.loss),
    }, new MemorySink());
    expect(losses).toHaveLength(reference.losses.length);
    losses.forEach((loss, step) => expect(Math.abs(loss - reference.losses[step]!), `step ${step + 1}`).toBeLessThan(1e-4 * (1 + reference.losses[step]!)));
    for (const [name, { data }] of Object.entries(reference.weights)) {
      const ours = result.weights.get(name)!.data as Float32Array;
      const worst = data.reduce((m, v, i) => Math.max(m, Math.abs(v - ours[i]!)), 0);
      expect(worst, name).toBeLessThan(1e-4);
    }
  });
});
