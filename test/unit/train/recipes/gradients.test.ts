import { describe, expect, it } from 'vitest';
import { Random } from '../../../../src/util/random.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { cutAt } from '../../../../src/onnx/edit/cut.js';
import { exposeOutputs } from '../../../../src/onnx/edit/expose.js';
import { readWeights } from '../../../../src/onnx/edit/weights.js';
import { Session } from '../../../../src/runtime/session.js';
import { gradcheck } from '../../../../src/engine/gradcheck.js';
import { GradientSession } from '../../../../src/engine/gradient-session.js';
import { prepareModel } from '../../../../src/engine/prepare.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { CASES, build, inputFor, masksFor } from './helpers.js';

/**
 * The train forms differentiate: a gradient graph w.r.t. every parameter builds and runs (every
 * gradient finite, shaped like its weight, and not identically zero: each parameter reaches
 * the logits), and two parameters per recipe match central differences (float32 tolerance),
 * with random dropout masks in place.
 */
describe.each(CASES)('train form of $label', (c) => {
  it('has gradients w.r.t. all parameters that match central differences', async () => {
    const train = build(c, 'train');
    const { model } = await prepareModel(train.model);
    const feeds = { ...inputFor(c), ...masksFor(train, 'random', 21) };
    const session = await GradientSession.create(model, { of: ['logits'], wrt: train.parameters });
    try {
      const graph = await session.graphFor(feeds);
      const logitsShape = graph.model.graph.outputs.find((o) => o.name === 'logits')!.shape!;
      const rows = c.recipe === 'mlm' ? [3, 6, c.context.vocabularySize!] : [3, logitsShape[1] as number];
      const seed = Tensor.float32(rows);
      new Random(3).fill(seed.data);
      const { gradients } = await session.run(feeds, { logits: seed });
      const weights = readWeights(train.model, train.parameters);
      for (const p of train.parameters) {
        const g = gradients[p]!;
        expect(g.shape, p).toEqual(weights.get(p)!.shape);
        const values = g.toNumbers();
        expect(values.every(Number.isFinite), p).toBe(true);
        expect(values.some((v) => v !== 0), `${p} gets a gradient`).toBe(true);
      }
    } finally {
      await session.release();
    }
    const results = await gradcheck(model, { feeds, of: ['logits'], wrt: c.gradcheck, directions: 2, runtime: { deterministic: true } });
    for (const r of results) expect(r.worstRelError, `${r.wrt}: ${JSON.stringify(r.checks)}`).toBeLessThan(5e-3);
  });
});

/** Attribution cuts text models at 'embeddings' and differentiates with respect to it. */
describe.each(CASES.filter((c) => c.context.kind === 'tokens'))('eval form of $label at its embeddings', (c) => {
  it('cuts there and differentiates with respect to them', async () => {
    const { model } = await prepareModel(build(c, 'eval').model);
    const feeds = inputFor(c);
    const forward = await Session.create(exposeOutputs(cloneModel(model), ['embeddings']));
    const full = await forward.run(feeds);
    await forward.release();
    // Fed the embeddings (and input_ids, which the masks still read), the cut model agrees.
    const cut = await Session.create(cutAt(cloneModel(model), ['embeddings']));
    const fromCut = await cut.run({ ...feeds, embeddings: full.embeddings! });
    await cut.release();
    expect(maxAbsDiff(fromCut.logits!, full.logits!)).toBeLessThan(1e-6);
    const [check] = await gradcheck(model, { feeds, of: ['logits'], wrt: ['embeddings'], directions: 2, runtime: { deterministic: true } });
    expect(check!.worstRelError).toBeLessThan(5e-3);
  });
});
