import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { encodeModel } from '../../../../src/onnx/io.js';
import { Graph } from '../../../../src/onnx/ir/graph.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { tensorFromProto, tensorToProto } from '../../../../src/onnx/ir/tensor-proto.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { GlassboxError } from '../../../../src/util/errors.js';
import { canonicalProblems, countOps, expectSameOutputs, normalized, pseudoRandom, runOrt } from './helpers.js';

const w = (b: GraphBuilder, values: number[]) => b.constant('w', Tensor.float32([values.length], values));

function batchNorm(opset: number, outputs: number, attributes: Record<string, number> = {}): Model {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 2, 3]);
  const ys = b.op('BatchNormalization', [x, w(b, [1, 2]), w(b, [0.5, 0.1]), w(b, [3, 4]), w(b, [2, 0.5])], { epsilon: 1e-5, ...attributes }, { outputs });
  b.output(ys[0]!);
  return b.model({ opset });
}

describe('normalize: Dropout and BatchNormalization in inference form', () => {
  it.each([9, 10, 12])('Dropout-%d with its mask used: Identity plus an all-true mask of the input shape', async (opset) => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    const [y, mask] = b.op('Dropout', opset >= 12 ? [x, b.constant('ratio', Tensor.float32([], [0.5]))] : [x], opset >= 12 ? {} : { ratio: 0.5 }, { outputs: 2 });
    b.output(b.op('Relu', [y!]));
    b.output(mask!);
    const model = b.model({ opset });
    const out = normalized(model);
    expect(countOps(out, 'Dropout')).toBe(0);
    const feeds = { x: pseudoRandom([2, 3], 1) };
    const [before, after] = [await runOrt(model, feeds), await runOrt(out, feeds)];
    expect(after.Relu_out!.toNumbers()).toEqual(before.Relu_out!.toNumbers());
    // The ONNX spec's inference mask is all ones; onnxruntime's Dropout-7..11 kernel writes zeros.
    expect(after[mask!]!.dtype).toBe(opset >= 10 ? 'bool' : 'float32');
    expect(after[mask!]!.shape).toEqual([2, 3]);
    expect(after[mask!]!.toNumbers()).toEqual([1, 1, 1, 1, 1, 1]);
    if (opset >= 12) expect(before[mask!]!.toNumbers()).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('Dropout-12 with a training_mode that is not a constant false is refused', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    b.output(b.op('Dropout', [x, '', b.input('training', 'bool', [])]));
    expect(() => normalize(b.model({ opset: 12 }))).toThrow(/^Dropout node "Dropout" \(opset 12\): training_mode/);
  });

  it('BatchNormalization-9/15 inference form runs unchanged, with one output', async () => {
    for (const model of [batchNorm(9, 1), batchNorm(15, 1, { training_mode: 0 })]) {
      const { model: out } = await expectSameOutputs(model, { x: pseudoRandom([2, 2, 3], 2) });
      const node = out.graph.nodes.find((n) => n.opType === 'BatchNormalization')!;
      expect(node.outputs).toHaveLength(1);
      expect(node.has('training_mode')).toBe(false);
    }
  });

  it('BatchNormalization in training mode is refused with a one-line error', () => {
    // Before opset 14 declared statistics outputs mean training (onnxruntime then uses batch statistics).
    const err = (() => { try { normalize(batchNorm(9, 5)); } catch (e) { return e; } })() as GlassboxError;
    expect(err).toBeInstanceOf(GlassboxError);
    expect(err.code).toBe('unsupported-op');
    expect(err.message).toMatch(/^BatchNormalization node "BatchNormalization" \(opset 9\): it declares training outputs/);
    expect(err.message).not.toContain('\n');
    expect(() => normalize(batchNorm(15, 3, { training_mode: 1 }))).toThrow(/training_mode=1/);
  });
});

describe('normalize: renamed and re-specified ops', () => {
  it('Scatter-9 becomes ScatterElements', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [3, 4]);
    b.output(b.op('Scatter', [x, b.constant('idx', Tensor.int64([1, 4], [2, 0, 1, 2])), b.constant('upd', Tensor.float32([1, 4], [9, 8, 7, 6]))], { axis: 0 }));
    const { model } = await expectSameOutputs(b.model({ opset: 9 }), { x: pseudoRandom([3, 4], 3) });
    expect(model.graph.nodes.map((n) => n.opType)).toEqual(['ScatterElements']);
  });

  it.each([[6, 'static'], ['c', 'dynamic']] as const)('GroupNormalization-18 per-group weights become per-channel (%s channels)', async (channels, _kind) => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['n', channels, 4]);
    b.output(b.op('GroupNormalization', [x, w(b, [1, -2, 3]), w(b, [0.1, 0.2, -0.3])], { num_groups: 3, epsilon: 1e-5 }));
    const { model } = await expectSameOutputs(b.model({ opset: 18 }), { x: pseudoRandom([2, 6, 4], 4) });
    const scale = model.graph.nodes.find((n) => n.opType === 'GroupNormalization')!.inputs[1]!;
    if (channels === 6) expect(tensorFromProto(model.graph.initializers.get(scale)!).toNumbers()).toEqual([1, 1, -2, -2, 3, 3]);
    else expect(countOps(model, 'Expand')).toBe(2);
  });

  it('RoiAlign-10 keeps its output_half_pixel coordinates', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 2, 6, 6]);
    b.output(b.op('RoiAlign', [x, b.constant('rois', Tensor.float32([2, 4], [0, 0, 3, 3, 1.5, 0.5, 5, 4])), b.constant('idx', Tensor.int64([2], [0, 0]))], { output_height: 2, output_width: 3 }));
    const { model } = await expectSameOutputs(b.model({ opset: 10 }), { x: pseudoRandom([1, 2, 6, 6], 5) });
    expect(model.graph.nodes[0]!.string('coordinate_transformation_mode')).toBe('output_half_pixel');
  });

  it('GridSample-16 bilinear becomes linear', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 2, 4, 5]);
    b.output(b.op('GridSample', [x, b.input('grid', 'float32', [1, 3, 3, 2])], { align_corners: 0 }));
    const { model } = await expectSameOutputs(b.model({ opset: 16 }), { x: pseudoRandom([1, 2, 4, 5], 6), grid: pseudoRandom([1, 3, 3, 2], 7) });
    expect(model.graph.nodes[0]!.string('mode')).toBe('linear');
  });

  it('DFT-17 axis attribute becomes an input (its default was 1, DFT-20 defaults to -2)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 8, 1]);
    b.output(b.op('DFT', [x], { onesided: 0 }));
    const { model } = await expectSameOutputs(b.model({ opset: 17 }), { x: pseudoRandom([2, 8, 1], 8) });
    expect(tensorFromProto(model.graph.initializers.get(model.graph.nodes[0]!.inputs[2]!)!).toNumbers()).toEqual([1]);
  });

  it('removed experimental ops and other opsets are refused; other domains are left alone', () => {
    const b = new GraphBuilder();
    b.output(b.op('ImageScaler', [b.input('x', 'float32', [1, 3, 2, 2])], { scale: 2 }));
    expect(() => normalize(b.model({ opset: 9 }))).toThrow(/^ImageScaler node "ImageScaler" \(opset 9\): .*removed from ONNX/);
    expect(() => normalize(b.model({ opset: 8 }))).toThrow(/opset 8/);
    const ms = new GraphBuilder();
    ms.output(ms.op('Gelu', [ms.input('x', 'float32', [2])], {}, { domain: 'com.microsoft', outputs: 1 })[0]!);
    const model = ms.model({ opset: 11 });
    model.opsets.set('com.microsoft', 1);
    const out = normalized(model);
    expect(out.graph.nodes[0]!.domain).toBe('com.microsoft');
    expect(out.opsets.get('com.microsoft')).toBe(1);
  });
});

describe('normalize: constants, subgraphs, idempotence', () => {
  it('Constant value_float/value_ints/value become initializers; a Constant graph output stays', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    const k = b.op('Constant', [], { value_float: 0.5 });
    const shape = b.op('Constant', [], { value_ints: [3, 2] });
    const kept = b.op('Constant', [], { value: tensorToProto('', Tensor.float32([2], [1, 2])) });
    b.output(b.op('Reshape', [b.op('Mul', [x, k]), shape]));
    b.output(kept);
    const { model } = await expectSameOutputs(b.model({ opset: 12 }), { x: pseudoRandom([2, 3], 9) });
    expect(tensorFromProto(model.graph.initializers.get(k)!).toNumbers()).toEqual([0.5]);
    expect(tensorFromProto(model.graph.initializers.get(shape)!).dtype).toBe('int64');
    expect(model.graph.nodes.filter((n) => n.opType === 'Constant').map((n) => n.outputs[0])).toEqual([kept]);
    expect(canonicalProblems(model)).toEqual([]);
  });

  it('IR version 3 files list weights among the inputs: they stay initializers only', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    const weight = b.constant('weight', Tensor.float32([3], [1, 2, 3]));
    b.graph.inputs.push({ name: weight, elemType: 1, shape: [3] });
    b.output(b.op('Mul', [x, weight]));
    const model = b.model({ opset: 9, irVersion: 3 });
    const { model: out } = await expectSameOutputs(model, { x: pseudoRandom([2, 3], 11) });
    expect(out.graph.inputs.map((i) => i.name)).toEqual(['x']);
    expect(out.irVersion).toBe(10);
  });

  it('If branches are normalised by the same rules (Unsqueeze-11, Softmax-11 inside)', async () => {
    const branch = (axis: number): Graph => {
      const g = new GraphBuilder(new Graph({ name: `branch${axis}` }), `b${axis}_`);
      const y = g.op('Softmax', [g.op('Unsqueeze', ['x'], { axes: [axis] })], { axis: 1 });
      g.output(y, { elemType: 1 });
      return g.graph;
    };
    const b = new GraphBuilder();
    b.input('x', 'float32', [2, 3]);
    const cond = b.input('cond', 'bool', []);
    b.output(b.op('If', [cond], { then_branch: branch(0), else_branch: branch(2) }));
    const model = b.model({ opset: 11 });
    for (const c of [0, 1]) await expectSameOutputs(model, { x: pseudoRandom([2, 3], 10), cond: new Tensor('bool', [], Uint8Array.of(c)) });
    const out = normalized(model);
    expect(canonicalProblems(out)).toEqual([]);
    expect(countOps(out, 'Flatten')).toBe(2); // axis 1 is not last in the rank-3 branch outputs
  });

  it('normalising twice gives the same bytes, and the argument is not modified', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['n', 3, 5, 7]);
    const up = b.op('Upsample', [x, b.constant('s', Tensor.float32([4], [1, 1, 2, 2]))], { mode: 'nearest' });
    b.output(b.op('Softmax', [b.op('Clip', [up], { min: 0, max: 6 })], { axis: 1 }));
    const model = b.model({ opset: 9 });
    const before = encodeModel(model);
    const once = normalize(model);
    expect(Buffer.compare(Buffer.from(encodeModel(model)), Buffer.from(before))).toBe(0);
    expect(model.opset).toBe(9);
    expect(Buffer.compare(Buffer.from(encodeModel(normalize(once))), Buffer.from(encodeModel(once)))).toBe(0);
  });
});
