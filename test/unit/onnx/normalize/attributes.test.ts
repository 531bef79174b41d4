import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { tensorFromProto } from '../../../../src/onnx/ir/tensor-proto.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { canonicalProblems, expectSameOutputs, pseudoRandom } from './helpers.js';

/** One op on one float input, at an old opset. */
function single(opset: number, shape: number[], opType: string, attributes: Record<string, number | number[] | string>, outputs = 1): Model {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', shape);
  const ys = b.op(opType, [x], attributes, { outputs });
  for (const y of ys) b.output(y);
  return b.model({ opset });
}

function only(model: Model, opType: string) {
  const nodes = model.graph.nodes.filter((n) => n.opType === opType);
  expect(nodes).toHaveLength(1);
  return nodes[0]!;
}

/** The constant values of a node input (an initializer of the normalised graph). */
function inputValues(model: Model, name: string | undefined): number[] {
  const proto = model.graph.initializers.get(name ?? '');
  expect(proto, `initializer "${name}"`).toBeDefined();
  return tensorFromProto(proto!).toNumbers();
}

describe('normalize: attributes that became inputs', () => {
  it('ReduceMean-1 without axes reduces everything (keepdims=0), before and after', async () => {
    const { model, after } = await expectSameOutputs(single(9, [2, 3, 4], 'ReduceMean', { keepdims: 0 }), { x: pseudoRandom([2, 3, 4], 1) });
    const node = only(model, 'ReduceMean');
    expect(node.inputs).toEqual(['x']);
    expect(Object.values(after)[0]!.shape).toEqual([]);
    expect(canonicalProblems(model)).toEqual([]);
  });

  it('ReduceSum-11 and ReduceMax-13 axes become int64 inputs', async () => {
    for (const [op, opset] of [['ReduceSum', 11], ['ReduceMax', 13], ['ReduceL2', 17]] as const) {
      const { model } = await expectSameOutputs(single(opset, [2, 3, 4], op, { axes: [-1, 1], keepdims: 1 }), { x: pseudoRandom([2, 3, 4], 2) });
      const node = only(model, op);
      expect(node.has('axes')).toBe(false);
      expect(inputValues(model, node.inputs[1])).toEqual([-1, 1]);
    }
  });

  it('Squeeze-1 without axes squeezes every 1; Squeeze-11/Unsqueeze-11 axes become inputs', async () => {
    const { model } = await expectSameOutputs(single(9, [1, 3, 1, 2], 'Squeeze', {}), { x: pseudoRandom([1, 3, 1, 2], 3) });
    expect(only(model, 'Squeeze').inputs).toEqual(['x']);
    const squeezed = await expectSameOutputs(single(11, [1, 3, 1, 2], 'Squeeze', { axes: [-2] }), { x: pseudoRandom([1, 3, 1, 2], 4) });
    expect(inputValues(squeezed.model, only(squeezed.model, 'Squeeze').inputs[1])).toEqual([-2]);
    const unsqueezed = await expectSameOutputs(single(11, [3, 2], 'Unsqueeze', { axes: [0, 3] }), { x: pseudoRandom([3, 2], 5) });
    expect(Object.values(unsqueezed.after)[0]!.shape).toEqual([1, 3, 2, 1]);
  });

  it('Split-2 without `split` splits evenly: num_outputs = number of outputs', async () => {
    const { model, after } = await expectSameOutputs(single(9, [2, 6], 'Split', { axis: 1 }, 3), { x: pseudoRandom([2, 6], 6) });
    const node = only(model, 'Split');
    expect(node.int('num_outputs')).toBe(3);
    expect(node.inputs).toEqual(['x']);
    expect(Object.values(after).map((t) => t.shape)).toEqual([[2, 2], [2, 2], [2, 2]]);
  });

  it('Split-11 sizes become an input; Split-13 without sizes gets num_outputs', async () => {
    const sized = await expectSameOutputs(single(11, [7, 2], 'Split', { axis: 0, split: [1, 2, 4] }, 3), { x: pseudoRandom([7, 2], 7) });
    expect(inputValues(sized.model, only(sized.model, 'Split').inputs[1])).toEqual([1, 2, 4]);
    const even = await expectSameOutputs(single(13, [4, 2], 'Split', {}, 2), { x: pseudoRandom([4, 2], 8) });
    expect(only(even.model, 'Split').int('num_outputs')).toBe(2);
  });

  it('Slice-1 with INT64_MAX ends keeps the sentinel exactly', async () => {
    const { model, after } = await expectSameOutputs(single(9, [4, 5], 'Slice', { starts: [1, -3], ends: [9223372036854775807, 9223372036854775807], axes: [0, 1] }), { x: pseudoRandom([4, 5], 9) });
    const node = only(model, 'Slice');
    const ends = tensorFromProto(model.graph.initializers.get(node.inputs[2]!)!);
    expect(Array.from(ends.data as BigInt64Array)).toEqual([9223372036854775807n, 9223372036854775807n]);
    expect(Object.values(after)[0]!.shape).toEqual([3, 3]);
  });

  it('Pad-2 reflect, edge and constant (non-zero fill) keep their meaning', async () => {
    const cases: { pads: number[]; mode?: string; value?: number }[] = [{ mode: 'reflect', pads: [0, 2, 0, 1] }, { mode: 'edge', pads: [1, 0, 2, 1] }, { pads: [0, 1, 1, 0], value: 1.5 }];
    for (const attrs of cases) {
      const { model } = await expectSameOutputs(single(9, [3, 4], 'Pad', attrs), { x: pseudoRandom([3, 4], 10) });
      const node = only(model, 'Pad');
      expect(inputValues(model, node.inputs[1])).toEqual(attrs.pads);
      if ('value' in attrs) expect(inputValues(model, node.inputs[2])).toEqual([1.5]);
      else expect(node.inputs).toHaveLength(2);
    }
  });

  it('Clip-6 with only min: the bound becomes a float32 input, infinities behave as before', async () => {
    const x = new Tensor('float32', [6], Float32Array.of(-Infinity, -2, -0.5, 0.5, 7, Infinity));
    const { model, after } = await expectSameOutputs(single(9, [6], 'Clip', { min: -1 }), { x });
    const node = only(model, 'Clip');
    expect(node.inputs).toHaveLength(2);
    expect(inputValues(model, node.inputs[1])).toEqual([-1]);
    expect(Object.values(after)[0]!.toNumbers().slice(0, 5)).toEqual([-1, -1, -0.5, 0.5, 7]);
    await expectSameOutputs(single(9, [6], 'Clip', { min: -1, max: 0.25 }), { x });
  });

  it('Clip-6 on a value of unknown element type casts its bounds with CastLike', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 5]);
    // An onnxruntime contrib op: no ai.onnx rule says what element type it produces.
    const values = b.op('Gelu', [x], {}, { domain: 'com.microsoft' });
    b.output(b.op('Clip', [values], { min: -0.25, max: 0.5 }));
    const opset9 = b.model({ opset: 9 });
    opset9.opsets.set('com.microsoft', 1);
    const { model } = await expectSameOutputs(opset9, { x: pseudoRandom([2, 5], 11) });
    expect(model.graph.nodes.filter((n) => n.opType === 'CastLike')).toHaveLength(2);
  });

  it('TopK-1 k becomes an int64 input', async () => {
    const { model } = await expectSameOutputs(single(9, [3, 6], 'TopK', { k: 2, axis: 1 }, 2), { x: pseudoRandom([3, 6], 12) });
    expect(inputValues(model, only(model, 'TopK').inputs[1])).toEqual([2]);
  });
});
