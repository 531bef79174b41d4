import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/onnx/io.js';
import type { Model } from '../../../src/onnx/ir/model.js';
import { GradientSession } from '../../../src/engine/gradient-session.js';
import { prepareModel } from '../../../src/engine/prepare.js';
import { targetSeed } from '../../../src/engine/seeds.js';
import { parseTensorValue } from '../../../src/tensor/json.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { relError } from '../../helpers/compare.js';
import { paddleModel, ROOT } from '../../helpers/fixtures.js';

/**
 * A real pretrained model: the PaddleOCR orientation classifier (ch_ppocr_mobile_v2.0_cls,
 * opset 9, ~50 Conv + BN + hard-swish/SE blocks). The reference is an independent float64
 * interpretation of the ONNX graph in PyTorch with autograd
 * (scripts/fixtures/onnx_torch_reference.py), so it shares neither the normaliser, the shape
 * inference, the gradient rules nor onnxruntime with glassbox.
 *
 * Errors are max |err| / max |ref|. Measured (onnxruntime-node 1.30, CPU):
 *   forward: softmax 7.6e-7, pre-softmax logits 2.0e-6 (bound 1e-5);
 *   d softmax[:, 1] / d x: 1.6e-6, d logits[:, 1] / d x: 1.2e-6 (bound 5e-6, about 3x).
 * That is float32 rounding: the same interpreter run in float32 is 2.1e-6 / 1.7e-6 away from
 * float64. The input was chosen so that no Relu/Clip/HardSigmoid input lies within 20x float32
 * noise of a kink: an element that lands on the other side of a kink in float32 changes the
 * gradient by its whole contribution (on PP-OCRv4 rec, one Clip element at 2.7e-6 vs -2.4e-6
 * gives 3e-3), which says nothing about the gradient rules.
 */
const FORWARD_BOUND = 1e-5;
const GRADIENT_BOUND = 5e-6;

interface Reference {
  inputs: Record<string, Tensor>;
  target: number;
  of: string;
  output: Tensor;
  gradient: Tensor;
  pre: { of: string; output: Tensor; gradient: Tensor };
}

function tensor(value: unknown, name: string): Tensor {
  return parseTensorValue(value, name).tensor;
}

function reference(): Reference {
  const raw = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'gradients', 'paddle_cls.grad.json'), 'utf8'));
  const pre = raw.pre_softmax;
  return {
    inputs: { x: tensor(raw.inputs.x, 'x') }, target: raw.target, of: raw.of,
    output: tensor(raw.outputs[raw.of], raw.of), gradient: tensor(raw.gradients.x, 'd/dx'),
    pre: { of: pre.of, output: tensor(pre.outputs[pre.of], pre.of), gradient: tensor(pre.gradients.x, 'd pre/dx') },
  };
}

describe('PaddleOCR cls: input gradients match a float64 PyTorch interpretation of the graph', () => {
  const ref = reference();
  const [batch, , height, width] = ref.inputs.x!.shape as number[];
  let model: Model;

  beforeAll(async () => {
    const dims = { 'p2o.DynamicDimension.0': batch!, 'p2o.DynamicDimension.1': height!, 'p2o.DynamicDimension.2': width! };
    ({ model } = await prepareModel(loadModel(paddleModel('cls')), { probeOptions: { dims } }));
  });

  const sessions: GradientSession[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.release();
  });

  async function check(of: string, output: Tensor, gradient: Tensor): Promise<{ forward: number; backward: number }> {
    const session = await GradientSession.create(model, { of: [of], wrt: ['x'] });
    sessions.push(session);
    const seed = targetSeed(output.shape, 'float32', ref.target, of);
    const result = await session.run(ref.inputs, { [of]: seed });
    return { forward: relError(result.outputs[of]!, output), backward: relError(result.gradients.x!, gradient) };
  }

  it('softmax output', async () => {
    const { forward, backward } = await check(ref.of, ref.output, ref.gradient);
    expect(forward, `forward ${ref.of}`).toBeLessThan(FORWARD_BOUND);
    expect(backward, `d ${ref.of}[:, ${ref.target}] / d x`).toBeLessThan(GRADIENT_BOUND);
  });

  it('pre-softmax logits', async () => {
    const { forward, backward } = await check(ref.pre.of, ref.pre.output, ref.pre.gradient);
    expect(forward, `forward ${ref.pre.of}`).toBeLessThan(FORWARD_BOUND);
    expect(backward, `d ${ref.pre.of}[:, ${ref.target}] / d x`).toBeLessThan(GRADIENT_BOUND);
  });
});
