import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixturePath } from '../helpers/fixtures.js';

/** The built package entry point, as a dependent project imports it (needs `npm run build`). */
describe('package entry point', () => {
  it('exports the public API from one index, and the README example runs', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const api = await import(join(ROOT, pkg.exports['.'].import));
    for (const name of ['loadModel', 'prepareModel', 'GradientSession', 'targetSeed', 'Tensor', 'Session', 'GraphBuilder', 'normalize', 'gradcheck', 'GlassboxError']) {
      expect(typeof api[name], name).toBe('function');
    }
    const { model } = await api.prepareModel(api.loadModel(fixturePath('cnn_opset17')));
    const session = await api.GradientSession.create(model, { of: ['logits'], wrt: ['input'] });
    const x = api.Tensor.float32([1, 1, 28, 28], new Float32Array(784).fill(0.5));
    const { outputs, gradients } = await session.run({ input: x }, { logits: api.targetSeed([1, 10], 'float32', 3) });
    expect(outputs.logits.shape).toEqual([1, 10]);
    expect(gradients.input.shape).toEqual([1, 1, 28, 28]);
    await session.release();
  });
});
