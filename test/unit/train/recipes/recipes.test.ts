import { describe, expect, it } from 'vitest';
import { GlassboxError } from '../../../../src/util/errors.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { exposeOutputs } from '../../../../src/onnx/edit/expose.js';
import { readWeights, replaceWeights } from '../../../../src/onnx/edit/weights.js';
import { validateModel } from '../../../../src/onnx/validate.js';
import { prepareModel } from '../../../../src/engine/prepare.js';
import { Session } from '../../../../src/runtime/session.js';
import { listRecipes, recipe } from '../../../../src/train/recipes/index.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { BATCH, CASES, SEQ, build, inputFor, masksFor } from './helpers.js';

async function run(model: Parameters<typeof Session.create>[0], feeds: Record<string, Tensor>, outputs?: string[]): Promise<Record<string, Tensor>> {
  const session = await Session.create(model);
  try {
    return await session.run(feeds, outputs ? { outputs } : {});
  } finally {
    await session.release();
  }
}

function logitsShape(c: (typeof CASES)[number]): number[] {
  return c.recipe === 'mlm' ? [BATCH, SEQ, c.context.vocabularySize!] : [BATCH, c.context.classes];
}

describe('recipe registry', () => {
  it('lists the recipes and refuses unknown names in one line', () => {
    expect(listRecipes().map((r) => r.name)).toEqual(['mlp', 'cnn', 'lstm', 'gru', 'textcnn', 'transformer', 'mlm']);
    expect(recipe('textcnn').name).toBe('textcnn');
    expect(() => recipe('lstn')).toThrow(/unknown recipe "lstn" \(did you mean "lstm"\?\) \(recipes: mlp, cnn, lstm, gru, textcnn, transformer, mlm\)/);
  });

  it('refuses configs and datasets a recipe cannot build with one-line errors', () => {
    const tokens = { kind: 'tokens' as const, inputShape: [8], classes: 2, vocabularySize: 10, seed: 0 };
    expect(() => recipe('cnn').build(tokens, {}, 'eval')).toThrow(/reads image inputs, not tokens/);
    expect(() => recipe('transformer').build(tokens, { d: 6, heads: 4 }, 'eval')).toThrow(/divisible/);
    expect(() => recipe('lstm').build({ ...tokens, vocabularySize: undefined }, {}, 'eval')).toThrow(GlassboxError);
    expect(() => recipe('mlp').build({ kind: 'vector', inputShape: [4], classes: 2, seed: 0 }, { dropout: 1 }, 'train')).toThrow(/probability/);
  });
});

describe.each(CASES)('$label', (c) => {
  it('builds clean opset-17 graphs in both forms that run on a batch of 3', async () => {
    for (const form of ['eval', 'train'] as const) {
      const g = build(c, form);
      const m = g.model;
      validateModel(m, `${c.recipe} ${form}`);
      expect([m.opset, m.irVersion, m.producerName]).toEqual([17, 8, 'glassbox']);
      expect(m.graph.outputs[0]!.name).toBe('logits');
      const input = c.context.kind === 'tokens' ? 'input_ids' : 'input';
      expect(m.graph.feedInputs.map((i) => i.name)).toEqual([input, ...g.masks.map((k) => k.name)]);
      const ops = new Set(m.graph.nodes.map((n) => n.opType));
      for (const op of ['Gelu', 'RandomUniform', 'RandomUniformLike', 'Dropout']) expect(ops.has(op), op).toBe(false);
      for (const n of m.graph.nodes) {
        // Opset-17 spellings: axes are inputs of ReduceSum/Squeeze/Unsqueeze, attributes of ReduceMean/ReduceMax.
        if (['ReduceSum', 'Squeeze', 'Unsqueeze', 'Split'].includes(n.opType)) expect(n.attributes.has('axes') || n.attributes.has('split'), n.opType).toBe(false);
        if (['ReduceMean', 'ReduceMax'].includes(n.opType)) expect([n.inputs.length, n.attributes.has('axes')], n.opType).toEqual([1, true]);
      }
      if (form === 'eval') expect([g.masks.length, g.buffers.length]).toEqual([0, 0]);
      for (const p of g.parameters) expect(m.graph.initializers.has(p), p).toBe(true);
      for (const b of g.buffers) {
        expect(m.graph.initializers.has(b.name), b.name).toBe(true);
        expect(m.graph.outputs.some((o) => o.name === b.from), b.from).toBe(true);
        expect(b.momentum).toBe(0.1);
      }
      const out = await run(m, { ...inputFor(c), ...masksFor(g, 'random') });
      expect(out.logits!.shape).toEqual(logitsShape(c));
      expect(out.logits!.toNumbers().every(Number.isFinite)).toBe(true);
    }
  });

  it('has the same weights under the same names in both forms, and only the same seed gives the same weights', () => {
    const evalForm = build(c, 'eval');
    const trainForm = build(c, 'train');
    expect(trainForm.parameters).toEqual(evalForm.parameters);
    expect([...trainForm.model.graph.initializers.keys()].filter((n) => !/^(ints|scalar|int|int32)(_\d+)?$/.test(n)).sort())
      .toEqual([...evalForm.model.graph.initializers.keys()].filter((n) => !/^(ints|scalar|int|int32)(_\d+)?$/.test(n)).sort());
    const a = readWeights(evalForm.model, evalForm.parameters);
    const b = readWeights(trainForm.model, evalForm.parameters);
    const other = readWeights(recipe(c.recipe).build({ ...c.context, seed: c.context.seed + 100 }, c.config, 'eval').model, evalForm.parameters);
    for (const name of evalForm.parameters) {
      expect(maxAbsDiff(a.get(name)!, b.get(name)!), name).toBe(0);
      const constant = /(norm\d?|bn\d+)\.(weight|bias)$|mlm\.bias$/.test(name);
      expect(maxAbsDiff(a.get(name)!, other.get(name)!) > 0, `${name} differs with another seed`).toBe(!constant);
    }
  });

  it('keeps its hooks on the path to the logits, with the documented shapes', async () => {
    const { model } = await prepareModel(build(c, 'eval').model);
    const values = model.graph.valueNames();
    for (const hook of Object.keys(c.hooks)) expect(values.has(hook), hook).toBe(true);
    const out = await run(exposeOutputs(model, Object.keys(c.hooks)), inputFor(c));
    for (const [hook, shape] of Object.entries(c.hooks)) expect(out[hook]!.shape, hook).toEqual(shape);
  });

  it('agrees with its train form when masks are all ones and running stats equal the batch stats', async () => {
    const train = build(c, 'train');
    const feeds = inputFor(c);
    const t = await run(train.model, { ...feeds, ...masksFor(train, 'ones') });
    const evalModel = cloneModel(build(c, 'eval').model);
    if (train.buffers.length > 0) {
      // Eval normalises by running_var, train by the biased batch variance: undo the n/(n−1).
      const { model: shaped } = await prepareModel(evalModel);
      const counts = new Map(shaped.graph.nodes.filter((n) => n.opType === 'BatchNormalization').map((n) => {
        const shape = shaped.graph.typeOf(n.inputs[0]!)!.shape!;
        return [n.inputs[3]!, BATCH * shape.slice(2).reduce<number>((a, d) => a * (d as number), 1)];
      }));
      const stats: Record<string, Tensor> = {};
      for (const b of train.buffers) {
        const batch = t[b.from]!;
        const n = counts.get(b.name.replace('running_var', 'running_mean'))!;
        stats[b.name] = b.name.endsWith('running_var') ? Tensor.float32(batch.shape, batch.toNumbers().map((v) => (v * (n - 1)) / n)) : batch;
      }
      replaceWeights(evalModel, stats);
    }
    const e = await run(evalModel, feeds);
    expect(maxAbsDiff(e.logits!, t.logits!)).toBeLessThan(1e-5);
    // And the masks do something: random masks change the logits.
    if (train.masks.length > 0) {
      const dropped = await run(train.model, { ...feeds, ...masksFor(train, 'random') });
      expect(maxAbsDiff(dropped.logits!, t.logits!)).toBeGreaterThan(1e-4);
    }
  });
});

describe('initialisation', () => {
  it("follows PyTorch's defaults", () => {
    const ctx = { kind: 'tokens' as const, inputShape: [12], classes: 2, vocabularySize: 400, seed: 3 };
    const w = readWeights(recipe('transformer').build(ctx, { d: 32, ff: 48 }, 'eval').model);
    const range = (name: string): [number, number] => { const v = w.get(name)!.toNumbers(); return [Math.min(...v), Math.max(...v)]; };
    // Linear: U(±1/√fan_in) for weight and bias, filling the range.
    for (const [name, fanIn] of [['encoder.0.attn.qkv.weight', 32], ['encoder.0.ff2.weight', 48], ['encoder.1.ff1.bias', 32]] as const) {
      const [lo, hi] = range(name);
      expect(lo).toBeGreaterThanOrEqual(-1 / Math.sqrt(fanIn));
      expect(hi).toBeLessThanOrEqual(1 / Math.sqrt(fanIn));
      expect(hi - lo).toBeGreaterThan((name.endsWith('bias') ? 1.5 : 1.95) / Math.sqrt(fanIn));
    }
    // Embedding: N(0, 1), PAD row zero (padding_idx = 0).
    const table = w.get('embedding.weight')!.toNumbers();
    expect(table.slice(0, 32).every((v) => v === 0)).toBe(true);
    const rest = table.slice(32);
    const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
    const sd = Math.sqrt(rest.reduce((a, b) => a + (b - mean) ** 2, 0) / rest.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
    expect(range('encoder.0.norm1.weight')).toEqual([1, 1]);
    expect(range('encoder.norm.bias')).toEqual([0, 0]);
    // Recurrent weights: U(±1/√hidden); BatchNorm: weight 1, bias 0, running mean 0, var 1.
    const lstmW = readWeights(recipe('lstm').build(ctx, { hidden: 16 }, 'eval').model);
    for (const name of ['lstm.0.weight_ih', 'lstm.0.weight_hh', 'lstm.0.bias']) {
      const v = lstmW.get(name)!.toNumbers();
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(0.25);
      expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(0.24);
    }
    const bn = readWeights(recipe('cnn').build({ kind: 'image', inputShape: [1, 8, 8], classes: 2, seed: 1 }, { batchnorm: true }, 'eval').model);
    expect([...bn.get('bn1.weight')!.toNumbers(), ...bn.get('bn1.running_var')!.toNumbers()].every((v) => v === 1)).toBe(true);
    expect([...bn.get('bn1.bias')!.toNumbers(), ...bn.get('bn1.running_mean')!.toNumbers()].every((v) => v === 0)).toBe(true);
    expect(bn.has('conv1.bias')).toBe(false);
  });

  it("shares the encoder's initial weights between transformer and mlm (same names, same seed)", () => {
    const ctx = { kind: 'tokens' as const, inputShape: [12], classes: 2, vocabularySize: 50, seed: 4 };
    const cls = recipe('transformer').build(ctx, {}, 'eval');
    const lm = recipe('mlm').build(ctx, {}, 'eval');
    const encoderNames = cls.parameters.filter((n) => !n.startsWith('classifier.'));
    expect(lm.parameters.filter((n) => !n.startsWith('mlm.'))).toEqual(encoderNames);
    const a = readWeights(cls.model, encoderNames);
    const b = readWeights(lm.model, encoderNames);
    for (const n of encoderNames) expect(maxAbsDiff(a.get(n)!, b.get(n)!), n).toBe(0);
  });
});
