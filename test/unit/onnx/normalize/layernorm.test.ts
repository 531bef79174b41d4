import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import type { Dim } from '../../../../src/onnx/ir/value.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { countOps, expectSameOutputs, pseudoRandom } from './helpers.js';

interface Spelled {
  opset?: number;
  shape?: Dim[];
  axes?: number[];
  reciprocal?: boolean;
  affine?: 'both' | 'none' | 'gamma';
  /** Also output the mean (a second consumer: must not fuse). */
  exposeMean?: boolean;
  square?: 'Pow' | 'Mul';
}

/** LayerNorm as exporters spell it below opset 17. */
function spelled(o: Spelled = {}): Model {
  const opset = o.opset ?? 11;
  const axes = o.axes ?? [-1];
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', o.shape ?? ['batch', 5, 8]);
  const reduce = (v: string) => (opset >= 18 ? b.op('ReduceMean', [v, b.constant('axes', Tensor.int64([axes.length], axes))]) : b.op('ReduceMean', [v], { axes }));
  const mean = reduce(x);
  const d = b.op('Sub', [x, mean]);
  const sq = o.square === 'Mul' ? b.op('Mul', [d, d]) : b.op('Pow', [d, b.constant('two', Tensor.float32([], [2]))]);
  const std = b.op('Sqrt', [b.op('Add', [reduce(sq), b.constant('eps', Tensor.float32([], [1e-5]))])]);
  let y = o.reciprocal ? b.op('Mul', [d, b.op('Reciprocal', [std])]) : b.op('Div', [d, std]);
  const normalized = (o.shape ?? [0, 5, 8]).slice(-axes.length) as number[];
  const size = normalized.reduce((a, c) => a * c, 1);
  if (o.affine !== 'none') y = b.op('Mul', [y, b.constant('gamma', Tensor.float32(normalized, pseudoRandom([size], 7).toNumbers()))]);
  if (o.affine === 'both' || o.affine === undefined) y = b.op('Add', [b.constant('beta', Tensor.float32(normalized, pseudoRandom([size], 8).toNumbers())), y]);
  b.output(y);
  if (o.exposeMean) b.output(mean);
  return b.model({ opset });
}

const feeds = (shape: number[] = [2, 5, 8]) => ({ x: pseudoRandom(shape, 3) });

describe('normalize: spelled-out LayerNormalization is fused', () => {
  it('ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add -> one LayerNormalization', async () => {
    const { model } = await expectSameOutputs(spelled(), feeds());
    expect(model.graph.nodes.map((n) => n.opType)).toEqual(['LayerNormalization']);
    const ln = model.graph.nodes[0]!;
    expect(ln.int('axis')).toBe(-1);
    expect(ln.float('epsilon')).toBeCloseTo(1e-5, 10);
    expect(ln.inputs).toEqual(['x', 'gamma', 'beta']);
  });

  it('variants: Mul by Reciprocal, Mul(d, d), axes as an input (opset 18), two trailing axes', async () => {
    for (const o of [{ reciprocal: true }, { square: 'Mul' as const }, { opset: 18 }, { axes: [-2, -1], shape: [2, 5, 8] }, { axes: [1, 2], shape: [2, 5, 8] }]) {
      const { model } = await expectSameOutputs(spelled(o), feeds());
      expect(countOps(model, 'LayerNormalization'), JSON.stringify(o)).toBe(1);
      expect(model.graph.nodes).toHaveLength(1);
      expect(model.graph.nodes[0]!.int('axis')).toBe(-(o.axes?.length ?? 1));
    }
  });

  it('without gamma/beta: a ones scale (static shape as initializer, dynamic from Shape)', async () => {
    const fixed = await expectSameOutputs(spelled({ affine: 'none', shape: [2, 5, 8] }), feeds());
    expect(fixed.model.graph.nodes.map((n) => n.opType)).toEqual(['LayerNormalization']);
    const dynamic = await expectSameOutputs(spelled({ affine: 'none', shape: ['batch', 5, 'width'] }), feeds());
    expect(countOps(dynamic.model, 'LayerNormalization')).toBe(1);
    expect(countOps(dynamic.model, 'Sqrt')).toBe(0);
    const gammaOnly = await expectSameOutputs(spelled({ affine: 'gamma' }), feeds());
    expect(gammaOnly.model.graph.nodes[0]!.inputs).toEqual(['x', 'gamma']);
  });

  it('does not fuse when the mean is also used elsewhere', async () => {
    const { model } = await expectSameOutputs(spelled({ exposeMean: true }), feeds());
    expect(countOps(model, 'LayerNormalization')).toBe(0);
    expect(countOps(model, 'Sqrt')).toBe(1);
  });

  it('does not fuse over leading axes, or positive axes on an unknown rank', async () => {
    const leading = await expectSameOutputs(spelled({ axes: [1], affine: 'none', shape: [2, 5, 8] }), feeds());
    expect(countOps(leading.model, 'LayerNormalization')).toBe(0);
    const b = new GraphBuilder();
    // Expand to a shape whose length is known only at run time: nothing static says the rank.
    const x = b.op('Expand', [b.input('x', 'float32', [2, 5, 8]), b.input('shape', 'int64', ['n'])]);
    const mean = b.op('ReduceMean', [x], { axes: [2] });
    const d = b.op('Sub', [x, mean]);
    b.output(b.op('Div', [d, b.op('Sqrt', [b.op('Add', [b.op('ReduceMean', [b.op('Pow', [d, b.constant('two', Tensor.float32([], [2]))])], { axes: [2] }), b.constant('eps', Tensor.float32([], [1e-5]))])])]));
    const unknown = await expectSameOutputs(b.model({ opset: 11 }), { ...feeds(), shape: Tensor.int64([3], [2, 5, 8]) });
    expect(countOps(unknown.model, 'LayerNormalization')).toBe(0);
  });
});
