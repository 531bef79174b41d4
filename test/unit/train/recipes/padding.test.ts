import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { exposeOutputs } from '../../../../src/onnx/edit/expose.js';
import { readWeights, replaceWeights } from '../../../../src/onnx/edit/weights.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { Session } from '../../../../src/runtime/session.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { CASES, build, tokenIds } from './helpers.js';

async function run(model: Model, ids: Tensor, outputs = ['logits']): Promise<Record<string, Tensor>> {
  const session = await Session.create(model);
  try {
    return await session.run({ input_ids: ids }, { outputs });
  } finally {
    await session.release();
  }
}

/** Rows of `ids` [batch, seq] followed by `extra` PAD (0) columns. */
function padded(ids: Tensor, extra: number): Tensor {
  const [batch, seq] = ids.shape as [number, number];
  const values = ids.toNumbers();
  return Tensor.int64([batch, seq + extra], Array.from({ length: batch * (seq + extra) }, (_, i) => {
    const [row, t] = [Math.floor(i / (seq + extra)), i % (seq + extra)];
    return t < seq ? values[row * seq + t]! : 0;
  }));
}

/** The first `seq` positions of logits [batch, seq', vocab] (masked-LM outputs). */
function firstPositions(t: Tensor, seq: number): Tensor {
  const [batch, , vocab] = t.shape as [number, number, number];
  const values = t.toNumbers();
  const out: number[] = [];
  for (let b = 0; b < batch; b++) out.push(...values.slice(b * t.shape[1]! * vocab, (b * t.shape[1]! + seq) * vocab));
  return Tensor.float32([batch, seq, vocab], out);
}

/**
 * The masks work: the same sentences with extra PAD tokens give the same logits (eval form),
 * for full-length rows and for rows that were already padded.
 */
describe.each(CASES.filter((c) => c.context.kind === 'tokens'))('padding in $label', (c) => {
  it('does not change the logits', async () => {
    const model = build(c, 'eval').model;
    // The PAD embedding row starts at zero; make it non-zero so only the in-graph masks can help.
    const table = readWeights(model, ['embedding.weight']).get('embedding.weight')!;
    const noisy = Tensor.float32(table.shape, table.toNumbers().map((v, i) => (i < table.shape[1]! ? 0.5 + i / 7 : v)));
    replaceWeights(model, { 'embedding.weight': noisy });
    for (const ids of [tokenIds(31, [5, 5], 5), tokenIds(32, [5, 2, 4], 5)]) {
      const base = (await run(model, ids)).logits!;
      for (const extra of [1, 4]) {
        const more = (await run(model, padded(ids, extra))).logits!;
        const compare = c.recipe === 'mlm' ? firstPositions(more, 5) : more;
        expect(maxAbsDiff(compare, base), `${extra} extra PAD`).toBeLessThan(1e-5);
      }
    }
  });
});

describe("the recurrent classifiers' final state", () => {
  it.each(CASES.filter((c) => c.recipe === 'lstm' || c.recipe === 'gru'))('is the last node\'s Y_h ($label)', async (c) => {
    // 'pooled' is read from the layer outputs (so they stay hookable); it must equal Y_h.
    const model = cloneModel(build(c, 'eval').model);
    const node = model.graph.nodes.filter((n) => n.opType === c.recipe.toUpperCase()).at(-1)!;
    node.outputs[1] = 'Y_h';
    exposeOutputs(model, ['Y_h', 'pooled']);
    const out = await run(model, tokenIds(33, [6, 3, 1], 6), ['Y_h', 'pooled']);
    const [dirs, batch, hidden] = out.Y_h!.shape as [number, number, number];
    const yh = out.Y_h!.toNumbers();
    const expected = Tensor.float32([batch, dirs * hidden], Array.from({ length: batch * dirs * hidden }, (_, i) => {
      const [b, d, h] = [Math.floor(i / (dirs * hidden)), Math.floor(i / hidden) % dirs, i % hidden];
      return yh[(d * batch + b) * hidden + h]!;
    }));
    expect(dirs).toBe(2);
    expect(maxAbsDiff(out.pooled!, expected)).toBeLessThan(1e-6);
  });
});
