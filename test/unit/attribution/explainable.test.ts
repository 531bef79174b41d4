import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Explainable } from '../../../src/attribution/explainable.js';
import { loadModel } from '../../../src/onnx/io.js';
import { parseTensorValue } from '../../../src/tensor/json.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { relError } from '../../helpers/compare.js';
import { fixturePath, ROOT } from '../../helpers/fixtures.js';

const GRADS = join(ROOT, 'test', 'fixtures', 'gradients');

describe('Explainable', () => {
  it('gives the same gradients whatever the chunk size, matching PyTorch', async () => {
    const fixture = JSON.parse(readFileSync(join(GRADS, 'cnn_bn.grad.json'), 'utf8'));
    const x = parseTensorValue(fixture.inputs.input, 'x').tensor;
    const want = parseTensorValue(fixture.gradients.input, 'g').tensor;
    const model = await Explainable.create(loadModel(join(GRADS, 'cnn_bn.onnx')));
    for (const batchSize of [1, 2]) {
      const { gradients, values } = await model.vjp(x, { target: fixture.target, batchSize });
      expect(relError(gradients, want)).toBeLessThan(1e-5);
      expect(values.logits!.shape).toEqual([2, 10]);
    }
    expect(Explainable.select(await model.forward(x), [fixture.target, fixture.target])).toHaveLength(2);
    await model.release();
  });

  it('attributes to an embedding output by cutting the model there, with the token ids as an extra input', async () => {
    const fixture = JSON.parse(readFileSync(join(GRADS, 'transformer.grad.json'), 'utf8'));
    const ids = parseTensorValue(fixture.inputs.input_ids, 'ids').tensor;
    const model = await Explainable.create(loadModel(join(GRADS, 'transformer.onnx')), { input: '/Add_output_0' });
    const embeddings = await model.inputFrom({ input_ids: ids });
    expect(embeddings.shape).toEqual([2, 7, 32]);
    const { gradients } = await model.vjp(embeddings, { target: fixture.target }, model.extraInputs.length ? { input_ids: ids } : {});
    expect(relError(gradients, parseTensorValue(fixture.gradients['/Add_output_0'], 'g').tensor)).toBeLessThan(1e-5);
    await model.release();
  });

  it('refuses targets out of range and unknown tensors with one-line errors', async () => {
    const model = await Explainable.create(loadModel(fixturePath('mlp_opset17')));
    const x = Tensor.float32([2, 8]);
    await expect(model.vjp(x, { target: 3 })).rejects.toThrow(/target 3 is out of range for "logits" \(3 classes on its last axis: 0\.\.2\)/);
    await expect(model.vjp(x, {})).rejects.toThrow(/"logits" has 3 values per row .* give a target class/);
    await expect(Explainable.create(loadModel(fixturePath('mlp_opset17')), { input: 'inptu' })).rejects.toThrow(/no tensor named "inptu" \(did you mean "input"/);
    await expect(Explainable.create(loadModel(fixturePath('transformer_opset17')))).rejects.toThrow(/no float input to attribute to/);
    await model.release();
  });
});
