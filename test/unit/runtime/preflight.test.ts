import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/onnx/builder.js';
import { Session } from '../../../src/runtime/session.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { loadModel } from '../../../src/onnx/io.js';
import { fixturePath } from '../../helpers/fixtures.js';

/** Graphs that crash or stall onnxruntime 1.30 are refused before it sees them (found by fuzzing). */
describe('preflight', () => {
  it('refuses a Resize whose scales are not a vector (a stack overrun in onnxruntime)', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 3, 8, 8]);
    b.output(b.op('Resize', [x, '', x], { mode: 'nearest' }, { name: 'up' }));
    await expect(Session.create(b.model())).rejects.toThrow(/^Resize node "up" cannot run: its scales input must be a vector, not of shape \[batch, 3, 8, 8\]$/);
  });

  it('refuses a tensor whose static dims alone need gigabytes', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 24]);
    const big = b.op('ConstantOfShape', [b.constant('shape', Tensor.int64([3], [67108865, 2, 24]))], {}, { name: 'state' });
    b.output(b.op('Add', [big, x]));
    await expect(Session.create(b.model())).rejects.toThrow(/^ConstantOfShape node "state" cannot run: its output .* of shape \[67108865, 2, 24\] would need over 12 GiB$/);
  });

  it('refuses empty inputs (recurrent and attention kernels abort on them)', async () => {
    const session = await Session.create(loadModel(fixturePath('gru_opset17')));
    await expect(session.run({ input_ids: Tensor.int64([2, 0], []) })).rejects.toThrow(/input "input_ids" is empty \(shape \[2, 0\]\)/);
    await session.release();
  });
});
