import { describe, expect, it } from 'vitest';
import { lowerRecurrent } from '../../../../src/autodiff/lower/index.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import { validateModel } from '../../../../src/onnx/validate.js';
import { maxAbsDiff } from '../../../helpers/compare.js';
import { fixtureIO, fixturePath } from '../../../helpers/fixtures.js';
import { opTypes, run } from './helpers.js';

describe('lowerRecurrent on the PyTorch fixtures (seq 7, batch 2)', () => {
  it.each([
    ['lstm_opset17', 1],
    ['gru_opset17', 1],
    ['bilstm_opset17', 2],
  ] as const)('%s: lowered output = PyTorch (io.json) and = onnxruntime on the fused graph', async (name, recurrentNodes) => {
    const model = normalize(loadModel(fixturePath(name)));
    inferShapes(model);
    expect(opTypes(model).filter((t) => t === 'LSTM' || t === 'GRU')).toHaveLength(recurrentNodes);
    // The exports' seq dim is symbolic: without a length the node cannot be unrolled.
    expect(() => lowerRecurrent(model)).toThrow(/sequence length of .* is symbolic \("seq"\); pass sequenceLength/);
    const lowered = lowerRecurrent(model, { sequenceLength: 7 });
    validateModel(lowered, 'lowered fixture');
    expect(opTypes(lowered).filter((t) => t === 'LSTM' || t === 'GRU')).toEqual([]);
    const io = fixtureIO(name);
    const outputs = Object.keys(io.outputs);
    const fused = await run(model, io.inputs, outputs);
    const got = await run(lowered, io.inputs, outputs);
    for (const out of outputs) {
      expect(maxAbsDiff(got[out]!, io.outputs[out]!), `${out} vs PyTorch`).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(got[out]!, fused[out]!), `${out} vs onnxruntime`).toBeLessThanOrEqual(1e-5);
    }
  });
});
