/**
 * Small models with closed-form layer and neuron attributions, and the fixture paths the layer
 * and neuron tests share.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { parseTensorValue } from '../../../../src/tensor/json.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { ROOT } from '../../../helpers/fixtures.js';

export const GRADS = join(ROOT, 'test', 'fixtures', 'gradients');

/** A fixture's input tensors and target. */
export function fixtureInput(name: string): { inputs: Record<string, Tensor>; target: number } {
  const raw = JSON.parse(readFileSync(join(GRADS, `${name}.grad.json`), 'utf8')) as { inputs: Record<string, unknown>; target: number };
  return { inputs: Object.fromEntries(Object.entries(raw.inputs).map(([k, v]) => [k, parseTensorValue(v, k).tensor])), target: raw.target };
}

export function randn(shape: number[], seed: number, scale = 1): Tensor {
  const random = new Random(seed);
  return Tensor.float32(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * random.normal()));
}

/** Row-major 2-D access helper for closed forms. */
export function at(t: Tensor, ...index: number[]): number {
  let offset = 0;
  index.forEach((i, d) => { offset = offset * t.shape[d]! + i; });
  return (t.data as Float32Array)[offset]!;
}

export interface TwoLayer {
  model: Model;
  /** hidden = act(x·W1ᵀ + b1) is tensor 'hidden' (the pre-activation 'pre'); logits = hidden·W2ᵀ + b2 (+ x·W3ᵀ with a skip). */
  w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor; w3?: Tensor;
}

/**
 * x [batch, D] → pre = x·W1ᵀ + b1 → hidden = act(pre) (Identity or Tanh) → logits = hidden·W2ᵀ + b2,
 * optionally with a skip logits += x·W3ᵀ that bypasses the hidden layer.
 */
export function twoLayer(options: { d?: number; h?: number; classes?: number; act?: 'Identity' | 'Tanh'; skip?: boolean; seed?: number } = {}): TwoLayer {
  const { d = 5, h = 4, classes = 3, act = 'Identity', skip = false, seed = 1 } = options;
  const w1 = randn([h, d], seed);
  const b1 = randn([h], seed + 1);
  const w2 = randn([classes, h], seed + 2);
  const b2 = randn([classes], seed + 3);
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', d]);
  b.op('Gemm', [x, b.constant('w1', w1), b.constant('b1', b1)], { transB: 1 }, { outputs: ['pre'] });
  b.op(act, ['pre'], {}, { outputs: ['hidden'] });
  const head = b.op('Gemm', ['hidden', b.constant('w2', w2), b.constant('b2', b2)], { transB: 1 });
  let w3: Tensor | undefined;
  if (skip) {
    w3 = randn([classes, d], seed + 4);
    b.op('Add', [head, b.op('Gemm', [x, b.constant('w3', w3)], { transB: 1 })], {}, { outputs: ['logits'] });
  } else {
    b.op('Identity', [head], {}, { outputs: ['logits'] });
  }
  b.output('logits');
  return { model: b.model(), w1, b1, w2, b2, ...(w3 ? { w3 } : {}) };
}

export interface CamNet {
  model: Model;
  /** conv [K, C, 1, 1] (no bias) → 'act' = Relu(conv) [batch, K, H, W] → GAP → 'logits' = ·Vᵀ. */
  conv: Tensor; v: Tensor;
}

/** A CAM network: 1×1 conv, ReLU, global average pooling, linear head — Grad-CAM has a closed form. */
export function camNet(options: { c?: number; k?: number; classes?: number; seed?: number } = {}): CamNet {
  const { c = 2, k = 3, classes = 4, seed = 11 } = options;
  const conv = randn([k, c, 1, 1], seed);
  const v = randn([classes, k], seed + 1);
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', c, 'h', 'w']);
  b.op('Conv', [x, b.constant('conv', conv)], {}, { outputs: ['pre'] });
  b.op('Relu', ['pre'], {}, { outputs: ['act'] });
  const pooled = b.op('Flatten', [b.op('GlobalAveragePool', ['act'])], { axis: 1 });
  b.op('Gemm', [pooled, b.constant('v', v)], { transB: 1 }, { outputs: ['logits'] });
  b.output('logits');
  return { model: b.model(), conv, v };
}
