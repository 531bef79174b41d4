import { describe, expect, it } from 'vitest';
import { DropoutMasks, type MaskSpec } from '../../../src/train/dropout-masks.js';
import { Random } from '../../../src/util/random.js';

const SPECS: MaskSpec[] = [
  { name: 'dropout.a', shape: ['batch', 'seq', 3], keep: 0.9 },
  { name: 'dropout.b', shape: ['batch', 2, 'seq', 'seq'], keep: 0.5 },
];

/** What the trainer drew before masks moved to a worker: every element in order with next(). */
function inOrder(random: Random, batch: number, seq: number): Float32Array[] {
  return [[batch, seq, 3], [batch, 2, seq, seq]].map((dims, i) => {
    const keep = SPECS[i]!.keep;
    return Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (random.next() < keep ? 1 / keep : 0));
  });
}

describe('DropoutMasks', () => {
  it('gives the masks of drawing in order with Random.next(), with or without the worker, and guessed sizes right or wrong', async () => {
    const steps = [{ batch: 4, seq: 5 }, { batch: 4, seq: 5 }, { batch: 3, seq: 5 }, { batch: 4, seq: 5 }];
    const reference = new Random(11);
    const expected = steps.map((s) => inOrder(reference, s.batch, s.seq));
    for (const worker of [true, false]) {
      const random = new Random(11);
      const masks = new DropoutMasks(SPECS, random, { worker });
      try {
        for (const [k, s] of steps.entries()) {
          // The guess for step 2 (batch 4) is wrong: it came with batch 3.
          const feeds = await masks.take(s, { batch: 4, seq: 5 });
          expect(feeds['dropout.a']!.shape).toEqual([s.batch, s.seq, 3]);
          expect(feeds['dropout.b']!.shape).toEqual([s.batch, 2, s.seq, s.seq]);
          expect(feeds['dropout.a']!.data).toEqual(expected[k]![0]);
          expect(feeds['dropout.b']!.data).toEqual(expected[k]![1]);
        }
        // The generator stands where drawing in order left it: checkpoints resume exactly.
        expect(random.getState()).toEqual(reference.getState());
        // The first step, and the one whose guess was wrong, are drawn here.
        expect(masks.served).toEqual(worker ? { ahead: 2, here: 2 } : { ahead: 0, here: 4 });
      } finally {
        await masks.close();
      }
    }
  });

  it('continues from a restored state as an uninterrupted run does', async () => {
    const whole = new Random(3);
    const uninterrupted = new DropoutMasks(SPECS, whole);
    await uninterrupted.take({ batch: 2, seq: 4 }, { batch: 2, seq: 4 });
    const saved = whole.getState();
    const next = await uninterrupted.take({ batch: 2, seq: 4 });
    await uninterrupted.close();
    const resumed = new DropoutMasks(SPECS, new Random(0).setState(saved));
    const again = await resumed.take({ batch: 2, seq: 4 });
    await resumed.close();
    expect(again['dropout.b']!.data).toEqual(next['dropout.b']!.data);
  });

  it('names a dimension it cannot size', async () => {
    const masks = new DropoutMasks([{ name: 'dropout.c', shape: ['batch', 'time'], keep: 0.9 }], new Random(1), { worker: false });
    await expect(masks.take({ batch: 2 })).rejects.toThrow(/cannot size dropout mask "dropout.c" with dimension time/);
  });
});
