/**
 * Tiny models and hand-written attribution functions for the metric tests (kept local so the
 * metrics are tested independently of the method classes).
 */
import { join } from 'node:path';
import { Explainable } from '../../../../src/attribution/explainable.js';
import type { AttributionResult, Target } from '../../../../src/attribution/types.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { ROOT } from '../../../helpers/fixtures.js';

export const W = [
  [0.5, -1.0, 0.25],
  [1.5, 0.3, -0.7],
  [-0.8, 0.9, 0.1],
  [0.2, -0.4, 1.2],
];
export const B = [0.1, -0.2, 0.3];

/** Two input rows for the linear model (and the MLP's first four inputs), and a target per row. */
export const X = float32([2, 4], [0.3, -1.2, 0.8, 2.0, -0.5, 0.7, 1.1, -0.9]);
export const TARGET = [0, 2];

/**
 * logits = reshape(x, [N, 4]) · W + B for inputs of any shape with 4 values per row, with an
 * optional Tanh after the MatMul (a nonlinear model).
 */
export async function linearModel(rowShape: number[] = [4], options: { tanh?: boolean } = {}): Promise<Explainable> {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', ...rowShape]);
  const flat = rowShape.length === 1 ? x : b.op('Reshape', [x, b.constant('shape', Tensor.int64([2], [-1, 4]))]);
  const mm = b.op('MatMul', [flat, b.constant('w', Tensor.float32([4, 3], W.flat()))]);
  const lin = b.op('Add', [options.tanh ? b.op('Tanh', [mm]) : mm, b.constant('b', Tensor.float32([3], B))]);
  b.output(b.op('Identity', [lin], {}, { outputs: ['logits'] })[0]!);
  return Explainable.create(b.model());
}

/** The gradient fixtures' MLP (8 inputs, 3 classes): a nonlinear model exported from PyTorch. */
export function mlpModel(): Promise<Explainable> {
  return Explainable.create(loadModel(join(ROOT, 'test', 'fixtures', 'gradients', 'mlp.onnx')));
}

/** Column t of W, as a flat row shaped like one input row. */
export function weightColumn(t: number): number[] {
  return W.map((row) => row[t]!);
}

/** Saliency without abs: ∂F_t/∂x. */
export async function gradient(model: Explainable, x: Tensor, target: Target): Promise<Tensor> {
  return (await model.vjp(x, { target })).gradients;
}

export async function inputXGradient(model: Explainable, x: Tensor, target: Target): Promise<Tensor> {
  const g = await gradient(model, x, target);
  const [gd, xd] = [g.data as Float32Array, x.data as Float32Array];
  return new Tensor('float32', x.shape, gd.map((v, i) => v * xd[i]!));
}

/** IG with a zero baseline, midpoint Riemann sum over `steps` points. */
export async function integratedGradients(model: Explainable, x: Tensor, target: Target, steps = 20): Promise<Tensor> {
  const xd = x.data as Float32Array;
  const sum = new Float64Array(xd.length);
  for (let k = 0; k < steps; k++) {
    const alpha = (k + 0.5) / steps;
    const g = await gradient(model, new Tensor('float32', x.shape, xd.map((v) => alpha * v)), target);
    (g.data as Float32Array).forEach((v, i) => { sum[i] += v / steps; });
  }
  return new Tensor('float32', x.shape, Float32Array.from(sum, (v, i) => v * xd[i]!));
}

/** An attribution method object (as our classes are) wrapping one of the functions above. */
export function method(f: (model: Explainable, x: Tensor, target: Target) => Promise<Tensor>, model: Explainable, calls: { target: Target; rows: number }[] = []) {
  return {
    async attribute(x: Tensor, options: { target?: Target } = {}): Promise<AttributionResult> {
      calls.push({ target: options.target, rows: x.shape[0]! });
      return { attributions: await f(model, x, options.target) };
    },
  };
}

export function float32(shape: number[], values: number[]): Tensor {
  return Tensor.float32(shape, values);
}

export function row(t: Tensor, r: number): number[] {
  const per = t.size / t.shape[0]!;
  return Array.from((t.data as Float32Array).subarray(r * per, (r + 1) * per));
}
