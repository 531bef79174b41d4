import { describe, expect, it } from 'vitest';
import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { cutAt } from '../../../../src/onnx/edit/cut.js';
import { removeDeadNodes } from '../../../../src/onnx/edit/dead-code.js';
import { exposeOutputs } from '../../../../src/onnx/edit/expose.js';
import { initializersToInputs, readWeights, replaceWeights } from '../../../../src/onnx/edit/weights.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import { Session } from '../../../../src/runtime/session.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { fixtureIO, fixturePath } from '../../../helpers/fixtures.js';

async function run(model: Parameters<typeof Session.create>[0], feeds: Record<string, Tensor>) {
  const session = await Session.create(model);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('graph edits', () => {
  const io = fixtureIO('cnn_opset17');
  const base = () => normalize(loadModel(fixturePath('cnn_opset17')));

  it('exposeOutputs adds intermediates as outputs, leaves the rest alone, suggests names', async () => {
    const model = exposeOutputs(base(), ['/pool1/MaxPool_output_0', 'logits']);
    expect(model.graph.outputs.map((o) => o.name)).toEqual(['logits', '/pool1/MaxPool_output_0']);
    const out = await run(model, io.inputs);
    expect(out['/pool1/MaxPool_output_0']!.shape).toEqual([2, 4, 14, 14]);
    expect(() => exposeOutputs(base(), ['/pool1/MaxPol_output_0'])).toThrow(/no tensor named "\/pool1\/MaxPol_output_0" \(did you mean "\/pool1\/MaxPool_output_0"/);
  });

  it('cutAt turns an intermediate into an input and drops what only fed it', async () => {
    const full = base();
    inferShapes(full);
    const hidden = (await run(exposeOutputs(cloneModel(full), ['/Relu_2_output_0']), io.inputs))['/Relu_2_output_0']!;
    const cut = cutAt(cloneModel(full), ['/Relu_2_output_0']);
    expect(cut.graph.feedInputs.map((i) => i.name)).toEqual(['input', '/Relu_2_output_0']);
    expect(cut.graph.nodes.map((n) => n.opType)).toEqual(['Gemm']);
    expect(cut.graph.inputs.find((i) => i.name === '/Relu_2_output_0')!.shape).toEqual(['batch', 32]);
    const out = await run(cut, { input: io.inputs.input!, '/Relu_2_output_0': hidden });
    expect(maxAbsDiff(out.logits!, io.outputs.logits!)).toBeLessThan(1e-5);
    expect(() => cutAt(cloneModel(full), ['conv2.weight'])).toThrow(/it is a weight; use initializersToInputs/);
  });

  it('replaceWeights swaps values by name and refuses mismatches', async () => {
    const model = base();
    const weights = readWeights(model, ['fc2.bias']);
    const bias = weights.get('fc2.bias')!;
    const shifted = Tensor.float32(bias.shape, (bias.data as Float32Array).map((v) => v + 1));
    const out = await run(replaceWeights(model, { 'fc2.bias': shifted }), io.inputs);
    const expected = Tensor.float32(io.outputs.logits!.shape, (io.outputs.logits!.data as Float32Array).map((v) => v + 1));
    expect(maxAbsDiff(out.logits!, expected)).toBeLessThan(1e-5);
    expect(() => replaceWeights(base(), { 'fc2.bias': Tensor.float32([3]) })).toThrow(/weight "fc2.bias" is float32\[10\] in the model but float32\[3\] in the replacement/);
    expect(() => replaceWeights(base(), { 'fc9.bias': shifted })).toThrow(/no weight named "fc9.bias"/);
  });

  it('initializersToInputs makes weights feedable (with or without defaults)', async () => {
    const model = base();
    const values = readWeights(model);
    const added = initializersToInputs(model, ['conv2.weight']);
    expect(added.map((a) => a.shape)).toEqual([[8, 4, 5, 5]]);
    expect(model.graph.initializers.has('conv2.weight')).toBe(false);
    const out = await run(model, { ...io.inputs, 'conv2.weight': values.get('conv2.weight')! });
    expect(maxAbsDiff(out.logits!, io.outputs.logits!)).toBeLessThan(1e-5);
    const withDefaults = base();
    initializersToInputs(withDefaults, ['conv2.weight'], { keepDefaults: true });
    expect(withDefaults.graph.initializers.has('conv2.weight')).toBe(true);
    expect(withDefaults.graph.feedInputs.map((i) => i.name)).toEqual(['input']);
  });

  it('removeDeadNodes keeps only what the outputs need', () => {
    const model = base();
    const before = model.graph.nodes.length;
    model.graph.outputs = [{ name: '/pool1/MaxPool_output_0' }];
    removeDeadNodes(model);
    expect(model.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool']);
    expect(model.graph.nodes.length).toBeLessThan(before);
    expect([...model.graph.initializers.keys()].sort()).toEqual(['onnx::Conv_28', 'onnx::Conv_29']) // conv1 with BatchNorm folded in by the exporter;
  });

  it('cloneModel gives an independent copy', () => {
    const model = base();
    const copy = cloneModel(model);
    copy.graph.nodes[0]!.inputs[0] = 'changed';
    copy.graph.outputs.push({ name: 'x' });
    expect(model.graph.nodes[0]!.inputs[0]).toBe('input');
    expect(model.graph.outputs).toHaveLength(1);
  });
});
