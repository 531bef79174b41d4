import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import type { Dim } from '../../../../src/onnx/ir/value.js';
import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { bySymbol, probe } from './probe.js';

/**
 * Hand-built graphs for the rules that are easy to get wrong. Each checks the inferred shapes
 * and then checks the same claims against onnxruntime at two sizes of the symbolic dims.
 */

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

function ints(b: GraphBuilder, hint: string, values: (number | bigint)[], scalar = false): string {
  return b.constant(hint, Tensor.int64(scalar ? [] : [values.length], values));
}

function shapeOf(model: Model, name: string): Dim[] | undefined {
  return inferShapes(cloneModel(model), { useDeclared: false }).values.find((v) => v.name === name)?.shape;
}

/** inferShapes agrees with onnxruntime for these symbol values (two runs). */
async function agreesWithOrt(model: Model, runs: Record<string, number>[]): Promise<void> {
  const { mismatches, compared, report } = await probe(model, runs.map(bySymbol));
  expect(mismatches).toEqual([]);
  expect(compared).toBe(report.total * runs.length);
}

describe('Conv and pooling windows', () => {
  it('auto_pad SAME_UPPER / SAME_LOWER with stride 2 on odd sizes is ceil(in / 2)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['n', 3, 'h', 'w']);
    const w = b.constant('w', Tensor.float32([4, 3, 3, 3]));
    const upper = b.op('Conv', [x, w], { auto_pad: 'SAME_UPPER', strides: [2, 2] });
    const lower = b.op('Conv', [x, w], { auto_pad: 'SAME_LOWER', strides: [2, 2] });
    const valid = b.op('Conv', [x, w], { auto_pad: 'VALID', strides: [2, 2] });
    for (const y of [upper, lower, valid]) b.output(y);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, upper)).toEqual(['n', 4, 'floor((h+1)/2)', 'floor((w+1)/2)']);
    await agreesWithOrt(model, [{ n: 1, h: 7, w: 9 }, { n: 2, h: 10, w: 5 }]);

    const fixed = new GraphBuilder();
    const xf = fixed.input('x', 'float32', [1, 3, 7, 9]);
    const yf = fixed.op('Conv', [xf, fixed.constant('w', Tensor.float32([4, 3, 3, 3]))], { auto_pad: 'SAME_UPPER', strides: [2, 2] });
    fixed.output(yf);
    expect(shapeOf(fixed.model({ opset: 17 }), yf)).toEqual([1, 4, 4, 5]);
  });

  it('explicit pads, dilations and 1-d convolution', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['n', 2, 'len']);
    const y = b.op('Conv', [x, b.constant('w', Tensor.float32([5, 2, 3]))], { pads: [2, 1], strides: [3], dilations: [2] });
    b.output(y);
    const model = b.model({ opset: 17 });
    await agreesWithOrt(model, [{ n: 2, len: 11 }, { n: 1, len: 20 }]);
  });

  it('ceil_mode pooling, including the window that would start in the padding', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 1, 5, 6]);
    const [maxY, indices] = b.op('MaxPool', [x], { kernel_shape: [2, 3], strides: [2, 2], pads: [1, 0, 1, 0], ceil_mode: 1 }, { outputs: 2 });
    const avg = b.op('AveragePool', [x], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
    const floorMode = b.op('AveragePool', [x], { kernel_shape: [3, 3], strides: [2, 2] });
    for (const y of [maxY!, indices!, avg, floorMode]) b.output(y);
    const model = b.model({ opset: 17 });
    // Height: ceil((5 + 2 - 2) / 2) + 1 = 4, but window 4 would start at 6 >= 5 + 1: dropped.
    expect(shapeOf(model, maxY!)).toEqual([1, 1, 3, 3]);
    expect(shapeOf(model, avg)).toEqual([1, 1, 2, 3]);
    expect(shapeOf(model, floorMode)).toEqual([1, 1, 2, 2]);
    await agreesWithOrt(model, [{}, {}]);
  });

  it('ceil_mode with symbolic sizes is only claimed when no window can be dropped', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['n', 1, 'h', 'h']);
    const safe = b.op('MaxPool', [x], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
    const unsafe = b.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 });
    b.output(safe);
    b.output(unsafe);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, safe)![2]).toBe('floor(h/2)'); // ceil((h - 3) / 2) + 1
    expect(shapeOf(model, unsafe)).toEqual(['n', 1, null, null]);
    await agreesWithOrt(model, [{ n: 1, h: 6 }, { n: 2, h: 9 }]);
  });

  it('ConvTranspose with output_padding, and with output_shape', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['n', 2, 'h', 5]);
    const w = b.constant('w', Tensor.float32([2, 3, 3, 3]));
    const y = b.op('ConvTranspose', [x, w], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 0] });
    const z = b.op('ConvTranspose', [x, w], { strides: [2, 2], output_shape: [12, 11] });
    b.output(y);
    b.output(z);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, y)).toEqual(['n', 3, '2*h', 9]);
    expect(shapeOf(model, z)).toEqual(['n', 3, 12, 11]);
    await agreesWithOrt(model, [{ n: 1, h: 6 }, { n: 2, h: 5 }]);
  });
});

describe('Reshape, Slice, Gather', () => {
  it('Reshape with 0 and -1, from attribute-free targets and symbolic products', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 6, 10]);
    const a = b.op('Reshape', [x, ints(b, 't', [0, -1])]);
    const c = b.op('Reshape', [x, ints(b, 't', [0, 3, -1])]);
    const d = b.op('Reshape', [x, ints(b, 't', [-1, 10])]);
    const e = b.op('Reshape', [d, ints(b, 't', [-1, 6, 10])]);
    for (const y of [a, c, d, e]) b.output(y);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, a)).toEqual(['batch', 60]);
    expect(shapeOf(model, c)).toEqual(['batch', 3, 20]);
    expect(shapeOf(model, d)).toEqual(['6*batch', 10]);
    expect(shapeOf(model, e)).toEqual(['batch', 6, 10]);
    await agreesWithOrt(model, [{ batch: 2 }, { batch: 3 }]);
  });

  it('Reshape with allowzero keeps a literal 0', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [0, 4]);
    const y = b.op('Reshape', [x, ints(b, 't', [4, 0])], { allowzero: 1 });
    b.output(y);
    expect(shapeOf(b.model({ opset: 17 }), y)).toEqual([4, 0]);
  });

  it('the exporter pattern Shape -> Gather -> Unsqueeze -> Concat -> Reshape', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 'seq', 32]);
    const shape = b.op('Shape', [x]);
    const batch = b.op('Gather', [shape, ints(b, 'i', [0], true)], { axis: 0 });
    const seq = b.op('Gather', [shape, ints(b, 'i', [-2], true)], { axis: 0 });
    const rows = b.op('Mul', [batch, seq]);
    const heads = b.op('Div', [ints(b, 'd', [32], true), ints(b, 'h', [4], true)]);
    const target = b.op('Concat', [b.op('Unsqueeze', [rows, ints(b, 'ax', [0])]), ints(b, 'four', [4]), b.op('Unsqueeze', [heads, ints(b, 'ax', [0])])], { axis: 0 });
    const y = b.op('Reshape', [x, target]);
    const back = b.op('Reshape', [y, b.op('Shape', [x])]);
    b.output(y);
    b.output(back);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, y)).toEqual(['batch*seq', 4, 8]);
    expect(shapeOf(model, back)).toEqual(['batch', 'seq', 32]);
    await agreesWithOrt(model, [{ batch: 2, seq: 5 }, { batch: 3, seq: 7 }]);
  });

  it('Slice with negative steps, INT64_MAX/INT64_MIN ends and symbolic dims', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['seq', 8, 9]);
    const rev = b.op('Slice', [x, ints(b, 's', [-1]), ints(b, 'e', [INT64_MIN]), ints(b, 'a', [0]), ints(b, 'st', [-1])]);
    const odd = b.op('Slice', [x, ints(b, 's', [INT64_MAX]), ints(b, 'e', [INT64_MIN]), ints(b, 'a', [1]), ints(b, 'st', [-2])]);
    const tail = b.op('Slice', [x, ints(b, 's', [1, 2]), ints(b, 'e', [INT64_MAX, -1]), ints(b, 'a', [0, -1])]);
    const mid = b.op('Slice', [x, ints(b, 's', [6, -3]), ints(b, 'e', [1, 0]), ints(b, 'a', [1, 2]), ints(b, 'st', [-2, -1])]);
    const head = b.op('Slice', [x, ints(b, 's', [0]), ints(b, 'e', [3]), ints(b, 'a', [0])]);
    for (const y of [rev, odd, tail, mid, head]) b.output(y);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, rev)).toEqual(['seq', 8, 9]);
    expect(shapeOf(model, odd)).toEqual(['seq', 4, 9]);
    expect(shapeOf(model, tail)).toEqual(['seq-1', 8, 6]);
    expect(shapeOf(model, mid)).toEqual(['seq', 3, 6]);
    expect(shapeOf(model, head)).toEqual([null, 8, 9]); // min(3, seq) depends on seq
    await agreesWithOrt(model, [{ seq: 2 }, { seq: 5 }]);
  });

  it('opset 9 Slice and Squeeze/Unsqueeze take attributes', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 6, 10]);
    const s = b.op('Slice', [x], { starts: [1, 0], ends: [4, 10000], axes: [1, 2] });
    const u = b.op('Unsqueeze', [s], { axes: [0, 3] });
    const q = b.op('Squeeze', [u], { axes: [3] });
    const split = b.op('Split', [q], { axis: 3, split: [3, 7] }, { outputs: 2 });
    for (const y of [s, u, q, ...split]) b.output(y);
    const model = b.model({ opset: 9 });
    expect(shapeOf(model, u)).toEqual([1, 'batch', 3, 1, 10]);
    expect(shapeOf(model, split[1]!)).toEqual([1, 'batch', 3, 7]);
    await agreesWithOrt(model, [{ batch: 2 }, { batch: 3 }]);
  });

  it('Gather with a negative axis, and on known shape values with negative indices', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 5, 7]);
    const g = b.op('Gather', [x, ints(b, 'i', [0, 1, 2, 3, 4, 5])], { axis: -1 });
    const g2 = b.op('Reshape', [g, ints(b, 't', [0, 0, 2, 3])]);
    const last = b.op('Gather', [b.op('Shape', [x]), ints(b, 'i', [-1, 0])], { axis: 0 });
    const e = b.op('Expand', [b.constant('one', Tensor.float32([1], [1])), last]);
    for (const y of [g, g2, last, e]) b.output(y);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, g)).toEqual(['batch', 5, 6]);
    expect(shapeOf(model, e)).toEqual([7, 'batch']);
    await agreesWithOrt(model, [{ batch: 2 }, { batch: 3 }]);
  });
});

describe('broadcasting, products, recurrent', () => {
  it('[batch, 1, 5] with [3, 1] gives [batch, 3, 5]; two symbols give unknown', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 1, 5]);
    const y = b.input('y', 'float32', [3, 1]);
    const z = b.input('z', 'float32', ['other', 1, 1]);
    const s = b.op('Add', [x, y]);
    const t = b.op('Mul', [s, z]);
    const c = b.op('Less', [x, y]);
    b.output(s);
    b.output(t);
    b.output(c);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, s)).toEqual(['batch', 3, 5]);
    expect(shapeOf(model, t)).toEqual([null, 3, 5]);
    const report = inferShapes(cloneModel(model));
    expect(report.values.find((v) => v.name === c)?.elemType).toBe(9);
    const sizes = [{ x: [2, 1, 5], y: [3, 1], z: [1, 1, 1] }, { x: [3, 1, 5], y: [3, 1], z: [3, 1, 1] }];
    const { mismatches } = await probe(model, sizes.map((s) => (info) => s[info.name as 'x']));
    expect(mismatches).toEqual([]);
  });

  it('Einsum "bij,bjk->bik", MatMul with 1-d operands, Gemm with transposes', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['b', 4, 5]);
    const y = b.input('y', 'float32', ['b', 5, 6]);
    const e = b.op('Einsum', [x, y], { equation: 'bij,bjk->bik' });
    const implicit = b.op('Einsum', [x], { equation: 'bij' });
    const transposed = b.op('Einsum', [x], { equation: '...ij->...ji' });
    const mv = b.op('MatMul', [x, b.constant('v', Tensor.float32([5]))]);
    const g = b.op('Gemm', [b.op('Reshape', [x, ints(b, 't', [-1, 5])]), b.constant('w', Tensor.float32([3, 5]))], { transB: 1 });
    for (const o of [e, implicit, transposed, mv, g]) b.output(o);
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, e)).toEqual(['b', 4, 6]);
    expect(shapeOf(model, implicit)).toEqual(['b', 4, 5]);
    expect(shapeOf(model, transposed)).toEqual(['b', 5, 4]);
    expect(shapeOf(model, mv)).toEqual(['b', 4]);
    expect(shapeOf(model, g)).toEqual(['4*b', 3]);
    await agreesWithOrt(model, [{ b: 2 }, { b: 3 }]);
  });

  it.each([0, 1])('LSTM outputs with layout %i, bidirectional', async (layout) => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', layout === 0 ? ['seq', 'batch', 4] : ['batch', 'seq', 4]);
    const w = b.constant('w', Tensor.float32([2, 4 * 6, 4]));
    const r = b.constant('r', Tensor.float32([2, 4 * 6, 6]));
    const outs = b.op('LSTM', [x, w, r], { direction: 'bidirectional', layout, hidden_size: 6 }, { outputs: 3 });
    outs.forEach((o) => b.output(o));
    const model = b.model({ opset: 17 });
    const report = inferShapes(cloneModel(model));
    const shapes = outs.map((o) => report.values.find((v) => v.name === o)?.shape);
    expect(shapes).toEqual(layout === 0
      ? [['seq', 2, 'batch', 6], [2, 'batch', 6], [2, 'batch', 6]]
      : [['batch', 'seq', 2, 6], ['batch', 2, 6], ['batch', 2, 6]]);
    // onnxruntime's CPU LSTM refuses layout 1, so that layout is checked against the spec only.
    if (layout === 0) await agreesWithOrt(model, [{ seq: 5, batch: 2 }, { seq: 7, batch: 3 }]);
  });

  it('GRU and RNN, forward', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['seq', 'batch', 4]);
    const gru = b.op('GRU', [x, b.constant('w', Tensor.float32([1, 15, 4])), b.constant('r', Tensor.float32([1, 15, 5]))], { hidden_size: 5 }, { outputs: 2 });
    const rnn = b.op('RNN', [x, b.constant('w', Tensor.float32([1, 3, 4])), b.constant('r', Tensor.float32([1, 3, 3]))], { hidden_size: 3 }, { outputs: 2 });
    [...gru, ...rnn].forEach((o) => b.output(o));
    const model = b.model({ opset: 17 });
    expect(shapeOf(model, rnn[0]!)).toEqual(['seq', 1, 'batch', 3]);
    await agreesWithOrt(model, [{ seq: 5, batch: 2 }, { seq: 7, batch: 3 }]);
  });
});

describe('types, values and what stays unknown', () => {
  it('LayerNormalization Mean/InvStdDev, comparisons, ArgMax, TopK, NonZero, Cast', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 3, 8]);
    const [y, mean, inv] = b.op('LayerNormalization', [x, b.constant('g', Tensor.float32([8])), b.constant('bb', Tensor.float32([8]))], { axis: 1 }, { outputs: 3 });
    const eq = b.op('Equal', [b.op('Cast', [x], { to: 7 }), ints(b, 'z', [0], true)]);
    const am = b.op('ArgMax', [x], { axis: -1, keepdims: 0 });
    const [tv, ti] = b.op('TopK', [x, ints(b, 'k', [2])], { axis: 1 }, { outputs: 2 });
    const nz = b.op('NonZero', [eq]);
    for (const o of [y!, mean!, inv!, eq, am, tv!, ti!, nz]) b.output(o);
    const model = b.model({ opset: 17 });
    const report = inferShapes(cloneModel(model));
    const get = (n: string) => report.values.find((v) => v.name === n)!;
    expect(get(mean!).shape).toEqual(['batch', 1, 1]);
    expect([get(eq).elemType, get(am).elemType, get(ti!).elemType, get(nz).elemType]).toEqual([9, 7, 7, 7]);
    expect(get(tv!).shape).toEqual(['batch', 2, 8]);
    expect(get(nz).shape).toEqual([3, null]);
    await agreesWithOrt(model, [{ batch: 2 }, { batch: 3 }]);
  });

  it('Range over a symbolic length, ConstantOfShape, Where and Resize', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 2, 'h', 'w']);
    const shape = b.op('Shape', [x], { start: 2 });
    const h = b.op('Squeeze', [b.op('Slice', [shape, ints(b, 's', [0]), ints(b, 'e', [1])]), ints(b, 'a', [0])]);
    const r = b.op('Range', [ints(b, 'zero', [0], true), h, ints(b, 'one', [1], true)]);
    const c = b.op('ConstantOfShape', [b.op('Concat', [ints(b, 'two', [2]), shape], { axis: 0 })]);
    const scaled = b.op('Resize', [x, '', b.constant('sc', Tensor.float32([4], [1, 1, 2, 0.5]))], { mode: 'nearest' });
    const sized = b.op('Resize', [x, '', '', ints(b, 'sz', [1, 2, 3, 5])]);
    const pick = b.op('Where', [b.op('Equal', [shape, shape]), shape, ints(b, 'm', [1, 1])]);
    const e = b.op('Expand', [b.constant('o', Tensor.float32([1], [1])), pick]);
    for (const o of [r, c, scaled, sized, e]) b.output(o);
    const model = b.model({ opset: 18 });
    expect(shapeOf(model, r)).toEqual(['h']);
    expect(shapeOf(model, c)).toEqual([2, 'h', 'w']);
    expect(shapeOf(model, scaled)).toEqual(['batch', 2, '2*h', null]);
    expect(shapeOf(model, sized)).toEqual([1, 2, 3, 5]);
    expect(shapeOf(model, e)).toEqual(['h', 'w']);
    await agreesWithOrt(model, [{ batch: 1, h: 4, w: 6 }, { batch: 2, h: 7, w: 9 }]);
  });

  it('shape arithmetic done in floats: Cast -> Mul -> Floor -> Cast feeding Resize sizes', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 2, 'h', 6]);
    const hw = b.op('Cast', [b.op('Shape', [x], { start: 2 })], { to: 1 });
    const scaled = b.op('Floor', [b.op('Mul', [hw, b.constant('s', Tensor.float32([2], [2, 0.5]))])]);
    const sizes = b.op('Concat', [b.op('Slice', [b.op('Shape', [x]), ints(b, 's', [0]), ints(b, 'e', [2])]), b.op('Cast', [scaled], { to: 7 })], { axis: 0 });
    const y = b.op('Resize', [x, '', '', sizes], { mode: 'nearest' });
    b.output(y);
    const model = b.model({ opset: 18 });
    expect(shapeOf(model, y)).toEqual(['batch', 2, '2*h', 3]);
    await agreesWithOrt(model, [{ batch: 1, h: 4 }, { batch: 2, h: 5 }]);
  });

  it('an op without a rule leaves its outputs, and what depends on them, unknown', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4]);
    const y = b.op('MysteryOp', [x], {}, { domain: 'com.example' });
    const z = b.op('Relu', [y]);
    b.output(z);
    const model = b.model({ opset: 17 });
    const report = inferShapes(model);
    const zr = report.values.find((v) => v.name === z)!;
    expect(zr.status).toBe('unknown');
    expect(zr.stoppedAt?.opType).toBe('MysteryOp');
    expect(report.unsupportedOps).toEqual(['com.example.MysteryOp']);
    expect(model.graph.valueInfo.has(y)).toBe(false);
  });

  it('Squeeze without axes on symbolic dims is unknown (a symbol might be 1)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 1, 4]);
    const y = b.op('Squeeze', [x]);
    b.output(y);
    const report = inferShapes(b.model({ opset: 17 }));
    expect(report.values[0]!.status).toBe('unknown');
    expect(report.values[0]!.elemType).toBe(1);
    expect(report.values[0]!.stoppedAt?.reason).toMatch(/Squeeze without axes/);
  });

  it('fills graph.valueInfo for intermediates only, and derived symbols evaluate', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 7]);
    const f = b.op('Flatten', [b.op('Unsqueeze', [x, ints(b, 'a', [2])])], { axis: 0 });
    const y = b.op('Relu', [f]);
    b.output(y);
    const model = b.model({ opset: 17 });
    const report = inferShapes(model);
    expect(model.graph.valueInfo.get(f)?.shape).toEqual([1, '7*batch']);
    expect(model.graph.valueInfo.has(y)).toBe(false);
    expect(report.symbols.evaluate('7*batch', { batch: 3 })).toBe(21);
  });
});
