import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipGradients, createOptimizer, learningRate, type OptimizerConfig } from '../../../src/train/optim/index.js';
import { ROOT } from '../../helpers/fixtures.js';

interface Case { config: OptimizerConfig; initial: number[]; grads: number[][]; lrs: number[]; params: number[][] }

const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'train', 'optimizers.json'), 'utf8')) as { cases: Case[] };

describe('optimizers follow torch.optim step for step', () => {
  it.each(fixture.cases.map((c) => [JSON.stringify(c.config), c] as const))('%s', (_label, c) => {
    const optimizer = createOptimizer(c.config);
    const p = Float32Array.from(c.initial);
    c.grads.forEach((g, k) => {
      optimizer.step(new Map([['w', p]]), new Map([['w', Float32Array.from(g)]]), c.lrs[k]!);
      const want = c.params[k]!;
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i]! - want[i]!), `step ${k} element ${i}`).toBeLessThan(2e-6 * (1 + Math.abs(want[i]!)));
    });
  });

  it('restores its state exactly (momentum, Adam moments, step count)', () => {
    for (const config of [fixture.cases[2]!.config, fixture.cases[6]!.config]) {
      const a = createOptimizer(config);
      const pa = Float32Array.from([1, 2, 3]);
      const g = (k: number) => new Map([['w', Float32Array.from([0.1 * k, -0.2, 0.3 * k])]]);
      a.step(new Map([['w', pa]]), g(1), 0.1);
      const b = createOptimizer(config);
      b.load(a.state());
      const pb = Float32Array.from(pa);
      a.step(new Map([['w', pa]]), g(2), 0.1);
      b.step(new Map([['w', pb]]), g(2), 0.1);
      expect([...pb]).toEqual([...pa]);
    }
  });

  it('refuses a non-positive learning rate and unknown optimizers', () => {
    expect(() => createOptimizer({ type: 'sgd', lr: 0 })).toThrow(/learning rate must be positive/);
    expect(() => createOptimizer({ type: 'rmsprop', lr: 1 } as unknown as OptimizerConfig)).toThrow(/unknown optimizer "rmsprop"/);
  });
});

describe('learning-rate schedules', () => {
  it('constant, step, cosine and warmup have their closed forms', () => {
    expect(learningRate(0.1, 57, 100)).toBe(0.1);
    expect(learningRate(0.1, 25, 100, { type: 'step', every: 10, gamma: 0.5 })).toBeCloseTo(0.025, 12);
    expect(learningRate(0.1, 0, 100, { type: 'cosine' })).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, 50, 100, { type: 'cosine' })).toBeCloseTo(0.05, 12);
    expect(learningRate(0.1, 100, 100, { type: 'cosine', min: 0.01 })).toBeCloseTo(0.01, 12);
    expect(learningRate(0.1, 4, 100, { type: 'constant' }, 10)).toBeCloseTo(0.05, 12);
    // After warmup the cosine runs over the remaining steps.
    expect(learningRate(0.1, 10, 110, { type: 'cosine' }, 10)).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, 60, 110, { type: 'cosine' }, 10)).toBeCloseTo(0.05, 12);
  });
});

describe('gradient clipping', () => {
  it('by global norm and by value, like torch.nn.utils', () => {
    const grads = new Map([['a', Float32Array.from([3, 0])], ['b', Float32Array.from([4])]]);
    expect(clipGradients(grads, { norm: 1 })).toBeCloseTo(5, 6);
    expect(grads.get('a')![0]).toBeCloseTo(0.6, 5);
    expect(grads.get('b')![0]).toBeCloseTo(0.8, 5);
    const g2 = new Map([['a', Float32Array.from([3, -7, 0.5])]]);
    clipGradients(g2, { value: 1 });
    expect([...g2.get('a')!]).toEqual([1, -1, 0.5]);
  });
});
