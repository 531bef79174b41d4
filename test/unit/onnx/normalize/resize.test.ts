import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { canonicalProblems, expectSameOutputs, pseudoRandom, runOrt } from './helpers.js';

const SHAPE = [1, 2, 5, 7]; // odd sizes: rounding differences show up at the borders

function upsample(opset: number, scales: number[], mode: string): Model {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', SHAPE);
  b.output(b.op(opset < 10 ? 'Upsample' : 'Resize', [x, b.constant('scales', Tensor.float32([4], scales))], { mode }));
  return b.model({ opset });
}

function resize11(attributes: Record<string, string>, scales: number[]): Model {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', SHAPE);
  b.output(b.op('Resize', [x, b.constant('roi', Tensor.float32([0], [])), b.constant('scales', Tensor.float32([4], scales))], attributes));
  return b.model({ opset: 11 });
}

/** Ramp input: every pixel distinct, so picking a wrong neighbour changes the output. */
const ramp = Tensor.float32(SHAPE, Array.from({ length: 70 }, (_, i) => i));

describe('normalize: Upsample and old Resize become Resize-19', () => {
  it.each([[2, 2], [3, 3], [2, 3]])('Upsample-9 nearest, scales %d x %d on 5x7: same pixels (asymmetric + floor)', async (sh, sw) => {
    const { model, after } = await expectSameOutputs(upsample(9, [1, 1, sh, sw], 'nearest'), { x: ramp });
    const node = model.graph.nodes.find((n) => n.opType === 'Resize')!;
    expect(node.string('coordinate_transformation_mode')).toBe('asymmetric');
    expect(node.string('nearest_mode')).toBe('floor');
    expect(node.inputs[1]).toBe('');
    expect(Object.values(after)[0]!.shape).toEqual([1, 2, 5 * sh, 7 * sw]);
    expect(canonicalProblems(model)).toEqual([]);
  });

  it('Upsample-9 nearest would differ with the default rounding (the test can tell them apart)', async () => {
    const model = normalize(upsample(9, [1, 1, 3, 3], 'nearest'));
    model.graph.nodes.find((n) => n.opType === 'Resize')!.setAttr('nearest_mode', 'round_prefer_floor');
    const [want, got] = [await runOrt(upsample(9, [1, 1, 3, 3], 'nearest'), { x: ramp }), await runOrt(model, { x: ramp })];
    expect(Object.values(got)[0]!.toNumbers()).not.toEqual(Object.values(want)[0]!.toNumbers());
  });

  it('Upsample-9 linear matches onnxruntime', async () => {
    await expectSameOutputs(upsample(9, [1, 1, 2, 3], 'linear'), { x: pseudoRandom(SHAPE, 1) });
  });

  it.each([[[1, 1, 2, 3]], [[1, 1, 0.5, 0.6]], [[1, 1, 2, 0.5]], [[1, 1, 0.34, 2.6]]])('Resize-10 nearest, scales %j: floor up, ceil down (split when mixed)', async (scales) => {
    const { model } = await expectSameOutputs(upsample(10, scales, 'nearest'), { x: ramp });
    const modes = model.graph.nodes.filter((n) => n.opType === 'Resize').map((n) => n.string('nearest_mode'));
    expect(modes.length).toBe(scales.some((s) => s > 1) && scales.some((s) => s < 1) ? 2 : 1);
  });

  it('Resize-10 linear downsampling matches onnxruntime', async () => {
    await expectSameOutputs(upsample(10, [1, 1, 0.6, 1.5], 'linear'), { x: pseudoRandom(SHAPE, 2) });
  });

  it.each(['round_prefer_floor', 'floor'])('Resize-11 tf_half_pixel_for_nn with nearest_mode %s becomes half_pixel', async (nearest) => {
    for (const scales of [[1, 1, 2, 3], [1, 1, 0.5, 0.6], [1, 1, 1.7, 0.45]]) {
      const { model } = await expectSameOutputs(resize11({ mode: 'nearest', coordinate_transformation_mode: 'tf_half_pixel_for_nn', nearest_mode: nearest }, scales), { x: ramp });
      const node = model.graph.nodes.find((n) => n.opType === 'Resize')!;
      expect(node.string('coordinate_transformation_mode')).toBe('half_pixel');
      expect(node.inputs).toEqual(['x', '', expect.any(String)]);
    }
  });

  it('Resize-11 tf_half_pixel_for_nn with nearest_mode ceil has no equivalent: one-line error', () => {
    expect(() => normalize(resize11({ mode: 'nearest', coordinate_transformation_mode: 'tf_half_pixel_for_nn', nearest_mode: 'ceil' }, [1, 1, 2, 2])))
      .toThrow(/^Resize node "Resize" \(opset 11\): coordinate_transformation_mode "tf_half_pixel_for_nn".*no equivalent/);
  });

  it('Resize-11 with sizes drops the empty scales and the unused roi', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', SHAPE);
    const empty = b.constant('empty', Tensor.float32([0], []));
    b.output(b.op('Resize', [x, empty, empty, b.constant('sizes', Tensor.int64([4], [1, 2, 9, 4]))], { mode: 'linear', coordinate_transformation_mode: 'align_corners' }));
    const { model, after } = await expectSameOutputs(b.model({ opset: 11 }), { x: pseudoRandom(SHAPE, 3) });
    const node = model.graph.nodes.find((n) => n.opType === 'Resize')!;
    expect(node.inputs.slice(0, 3)).toEqual(['x', '', '']);
    expect(Object.values(after)[0]!.shape).toEqual([1, 2, 9, 4]);
  });

  it('Resize-10 nearest with computed scales is refused (the rounding depends on them)', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', SHAPE);
    const scales = b.input('scales', 'float32', [4]);
    b.output(b.op('Resize', [x, scales], { mode: 'nearest' }));
    expect(() => normalize(b.model({ opset: 10 }))).toThrow(/^Resize node "Resize" \(opset 10\): .*scales are not constant/);
  });
});
