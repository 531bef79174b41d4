import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTensorValue } from '../../../../src/tensor/json.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { replaceWeights } from '../../../../src/onnx/edit/weights.js';
import { Session } from '../../../../src/runtime/session.js';
import { batchNorm } from '../../../../src/train/recipes/layers.js';
import { Net } from '../../../../src/train/recipes/net.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { ROOT } from '../../../helpers/fixtures.js';

/** Written by scripts/fixtures/export_batchnorm.py (PyTorch 1.13, training mode, one step). */
const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'train', 'batchnorm.json'), 'utf8')) as {
  momentum: number;
  cases: Record<string, Record<string, unknown>>;
};

describe.each(Object.keys(fixture.cases))('train-form BatchNorm against PyTorch (%s)', (name) => {
  const t = Object.fromEntries(Object.entries(fixture.cases[name]!).map(([k, v]) => [k, parseTensorValue(v, k).tensor])) as Record<string, Tensor>;
  const shape = t.input!.shape;
  const channels = shape[1]!;

  it('normalises with the batch statistics and updates the running statistics as PyTorch does', async () => {
    const net = new Net('batchnorm', 'train', 0);
    const x = net.b.input('input', 'float32', ['batch', ...shape.slice(1)]);
    const y = batchNorm(net, x, 'bn', channels, shape.length as 2 | 4);
    const graph = net.finish(net.hook(y, 'logits'), ['batch', ...shape.slice(1)], { kind: 'vector', inputShape: shape.slice(1), classes: 1, seed: 0 }, {});
    expect(graph.parameters).toEqual(['bn.weight', 'bn.bias']);
    expect(graph.buffers).toEqual([
      { name: 'bn.running_mean', from: 'bn.batch_mean', momentum: 0.1 },
      { name: 'bn.running_var', from: 'bn.batch_var', momentum: 0.1 },
    ]);
    replaceWeights(graph.model, { 'bn.weight': t.weight!, 'bn.bias': t.bias!, 'bn.running_mean': t.running_mean_before!, 'bn.running_var': t.running_var_before! });
    const session = await Session.create(graph.model);
    const out = await session.run({ input: t.input! });
    await session.release();
    expect(maxAbsDiff(out.logits!, t.output!)).toBeLessThan(1e-5);
    // The trainer's update, as the RecipeGraph contract states it: (1 − m)·buffer + m·from.
    const before = { 'bn.running_mean': t.running_mean_before!, 'bn.running_var': t.running_var_before! } as Record<string, Tensor>;
    for (const b of graph.buffers) {
      const old = before[b.name]!.toNumbers();
      const batch = out[b.from]!.toNumbers();
      const updated = Tensor.float32([channels], old.map((v, i) => (1 - b.momentum) * v + b.momentum * batch[i]!));
      expect(maxAbsDiff(updated, b.name.endsWith('mean') ? t.running_mean! : t.running_var!), b.name).toBeLessThan(1e-5);
    }
  });
});
