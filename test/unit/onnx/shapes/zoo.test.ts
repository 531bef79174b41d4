import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import { tensorToProto } from '../../../../src/onnx/ir/tensor-proto.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { bySymbol, probe } from './probe.js';

/**
 * Many ops in one graph, in the attribute forms of old opsets and the input forms of new
 * ones, checked against onnxruntime: every value must get a rank, and no claim may be wrong.
 */

function ints(b: GraphBuilder, values: number[], scalar = false): string {
  return b.constant('c', Tensor.int64(scalar ? [] : [values.length], values));
}

function floats(b: GraphBuilder, shape: number[], fill = 0.5): string {
  return b.constant('f', Tensor.float32(shape, new Array<number>(shape.reduce((a, c) => a * c, 1)).fill(fill)));
}

/** Ops whose axes/pads/split/k are inputs (opset 13+; Reduce*, Pad axes, Split num_outputs 18+). */
function modernZoo(opset: number): GraphBuilder {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 4, 6, 6]);
  const ids = b.input('ids', 'int64', ['batch', 'seq']);
  const outs: string[] = [];
  const keep = (...names: string[]): void => { outs.push(...names); };
  keep(b.op('ReduceSum', [x, ints(b, [1, -1])], { keepdims: 1 }));
  keep(b.op('ReduceSum', [x, ints(b, [])], { keepdims: 0 }));
  // ReduceSum takes axes as an input from 13, the other reductions from 18.
  keep(opset >= 18 ? b.op('ReduceMean', [x, ints(b, [2])], { keepdims: 0 }) : b.op('ReduceMean', [x], { axes: [2], keepdims: 0 }));
  keep(b.op('ReduceMax', [x], { keepdims: 1 }));
  keep(...b.op('Split', [x, ints(b, [1, 3])], { axis: 1 }, { outputs: 2 }));
  keep(...b.op('Split', [x], { axis: -1, ...(opset >= 18 ? { num_outputs: 3 } : {}) }, { outputs: 3 }));
  keep(b.op('Pad', [x, ints(b, [0, 0, 1, 2, 0, 0, 3, 0]), floats(b, [], 0)], { mode: 'constant' }));
  const tiled = b.op('Tile', [x, ints(b, [1, 2, 1, 3])]);
  keep(tiled);
  keep(b.op('DepthToSpace', [x], { blocksize: 2 }));
  keep(b.op('SpaceToDepth', [x], { blocksize: 3 }));
  keep(b.op('Transpose', [x], { perm: [0, 2, 3, 1] }));
  keep(b.op('Flatten', [x], { axis: -2 }));
  keep(b.op('Softmax', [x], { axis: 1 }));
  keep(b.op('LogSoftmax', [x]));
  const bn = b.op('BatchNormalization', [x, floats(b, [4], 1), floats(b, [4]), floats(b, [4]), floats(b, [4], 1)]);
  keep(bn);
  keep(b.op('InstanceNormalization', [x, floats(b, [4], 1), floats(b, [4])]));
  keep(b.op('GlobalMaxPool', [x]));
  keep(b.op('LpPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }));
  keep(b.op('AveragePool', [x], { kernel_shape: [2, 2], auto_pad: 'SAME_LOWER', strides: [2, 2] }));
  const emb = b.op('Gather', [floats(b, [10, 8]), ids]);
  keep(emb);
  keep(b.op('GatherElements', [x, b.op('Cast', [b.op('Relu', [b.op('Sign', [x])])], { to: 7 })], { axis: 2 }));
  keep(b.op('GatherND', [x, ints(b, [0, 1, 1, 2])]));
  keep(b.op('ArgMin', [emb], { axis: 1, keepdims: 1 }));
  keep(...b.op('TopK', [emb, ints(b, [3])], { axis: -1 }, { outputs: 2 }));
  if (opset >= 15) keep(b.op('CastLike', [ids, x]));
  keep(b.op('Size', [emb]));
  keep(b.op('Mod', [ids, ints(b, [3], true)]));
  keep(b.op('Where', [b.op('Greater', [x, floats(b, [1, 6], 0)]), x, floats(b, [6, 1])]));
  // Shape start/end are opset 15+.
  const lead = opset >= 15 ? b.op('Shape', [emb], { start: 0, end: -1 }) : b.op('Slice', [b.op('Shape', [emb]), ints(b, [0]), ints(b, [-1])]);
  keep(b.op('Expand', [floats(b, [3, 1, 1]), lead]));
  keep(b.op('OneHot', [ids, ints(b, [5], true), floats(b, [2])], { axis: 1 }));
  keep(b.op('Concat', [emb, emb], { axis: -1 }));
  keep(...b.op('Dropout', [x, floats(b, [], 0.1)], {}, { outputs: 2 }));
  keep(b.op('Clip', [x, floats(b, [], 0), floats(b, [], 1)]));
  keep(b.op('MatMul', [emb, floats(b, [8, 3])]));
  keep(b.op('ConvTranspose', [x, floats(b, [4, 2, 3, 3])], { strides: [2, 2], auto_pad: 'SAME_UPPER' }));
  keep(b.op('Unsqueeze', [ids, ints(b, [-1, 1])]));
  keep(b.op('Squeeze', [b.op('Unsqueeze', [ids, ints(b, [0])]), ints(b, [0])]));
  const seqLen = b.op('Gather', [b.op('Shape', [ids]), ints(b, [1], true)]);
  keep(b.op('Range', [ints(b, [0], true), seqLen, ints(b, [2], true)]));
  keep(b.op('ConstantOfShape', [b.op('Shape', [ids])], { value: tensorToProto('value', Tensor.int64([1], [3])) }));
  keep(b.op('Einsum', [emb, emb], { equation: 'bsd,btd->bst' }));
  if (opset >= 18) {
    keep(...b.op('Split', [tiled], { axis: 3, num_outputs: 4 }, { outputs: 4 })); // 18 = 5 + 5 + 5 + 3
    keep(b.op('Pad', [x, ints(b, [1, 2]), floats(b, [], 0), ints(b, [-1])], { mode: 'reflect' }));
    keep(b.op('ReduceL2', [x, ints(b, [])], { keepdims: 1, noop_with_empty_axes: 1 }));
    keep(b.op('Resize', [x, '', '', ints(b, [9, 4])], { axes: [3, 2], mode: 'linear' }));
    // Scale and bias are per group in opset 18, per channel from 21.
    const per = opset >= 21 ? 4 : 2;
    keep(b.op('GroupNormalization', [x, floats(b, [per], 1), floats(b, [per])], { num_groups: 2 }));
  }
  for (const o of outs) b.output(o);
  return b;
}

/** Attribute forms of opset 11 (axes, split, Squeeze/Unsqueeze) and opset 9 (Slice, Upsample, Pad). */
function legacyZoo(opset: 9 | 11): GraphBuilder {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 4, 6, 6]);
  const outs: string[] = [];
  const keep = (...names: string[]): void => { outs.push(...names); };
  keep(b.op('ReduceSum', [x], { axes: [1, 2], keepdims: 0 }));
  keep(b.op('ReduceProd', [x], { axes: [-1] }));
  keep(...b.op('Split', [x], { axis: 1, split: [1, 1, 2] }, { outputs: 3 }));
  keep(b.op('Squeeze', [b.op('Unsqueeze', [x], { axes: [0] })], { axes: [0] }));
  keep(opset === 9
    ? b.op('Slice', [x], { starts: [1, -4], ends: [1000, -1], axes: [2, 3] })
    : b.op('Slice', [x, ints(b, [1, -4]), ints(b, [1000, -1]), ints(b, [2, 3])]));
  keep(b.op('Softmax', [x]));
  keep(b.op('Flatten', [x], { axis: 2 }));
  keep(...b.op('TopK', [x, ...(opset >= 10 ? [ints(b, [2])] : [])], { axis: 2, ...(opset < 10 ? { k: 2 } : {}) }, { outputs: 2 }));
  keep(b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }));
  if (opset === 9) {
    keep(b.op('Upsample', [x, floats(b, [4], 1)], { mode: 'nearest' }));
    keep(b.op('Upsample', [x, b.constant('s', Tensor.float32([4], [1, 1, 2, 1.5]))], { mode: 'nearest' }));
    keep(b.op('Pad', [x], { pads: [0, 1, 0, 0, 0, 1, 2, 0], mode: 'constant' }));
  } else {
    keep(b.op('Resize', [x, floats(b, [0]), b.constant('s', Tensor.float32([4], [1, 1, 1.5, 2]))], { mode: 'nearest' }));
    keep(b.op('Pad', [x, ints(b, [0, 1, 0, 0, 0, 1, 2, 0])], { mode: 'edge' }));
  }
  for (const o of outs) b.output(o);
  return b;
}

const RUNS = [bySymbol({ batch: 2, seq: 5 }), bySymbol({ batch: 3, seq: 7 })];

describe('op zoo against onnxruntime', () => {
  it.each([13, 17, 18, 21])('input forms at opset %i', async (opset) => {
    const model = modernZoo(opset).model({ opset });
    const { mismatches, report } = await probe(model, RUNS);
    expect(mismatches).toEqual([]);
    expect(report.values.filter((v) => !v.shape).map((v) => `${v.name}: ${v.stoppedAt?.reason}`)).toEqual([]);
  });

  it.each([9, 11] as const)('attribute forms at opset %i', async (opset) => {
    const model = legacyZoo(opset).model({ opset });
    const { mismatches, report } = await probe(model, RUNS);
    expect(mismatches).toEqual([]);
    expect(report.values.filter((v) => !v.shape).map((v) => `${v.name}: ${v.stoppedAt?.reason}`)).toEqual([]);
  });

  it('every dim of the opset 17 zoo is known, symbolic dims included', () => {
    const report = inferShapes(cloneModel(modernZoo(17).model({ opset: 17 })));
    const partial = report.values.filter((v) => v.shape?.some((d) => d === null)).map((v) => v.name);
    // Range(0, seq, 2) is ceil(seq / 2); TopK/GatherND/etc. are static; nothing should be unknown.
    expect(partial).toEqual([]);
  });
});
