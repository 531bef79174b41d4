/**
 * Tiny models for closed-form checks of the gradient family, with their maths in float64:
 * a linear model y = xW + c, and a one-hidden-layer network y = f(xW₁ + c₁)W₂ + c₂ for any
 * elementwise activation f, optionally followed by a Softmax.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Explainable } from '../../../../src/attribution/explainable.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { parseTensorValue } from '../../../../src/tensor/json.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { ROOT } from '../../../helpers/fixtures.js';

export const GRADS = join(ROOT, 'test', 'fixtures', 'gradients');

/** A gradient fixture's model as an Explainable, with its input rows and target. */
export async function fixture(name: string, input?: string): Promise<{ model: Explainable; inputs: Record<string, Tensor>; target: number }> {
  const json = JSON.parse(readFileSync(join(GRADS, `${name}.grad.json`), 'utf8')) as { inputs: Record<string, unknown>; target: number };
  const inputs = Object.fromEntries(Object.entries(json.inputs).map(([k, v]) => [k, parseTensorValue(v, k).tensor]));
  const model = await Explainable.create(loadModel(join(GRADS, `${name}.onnx`)), input ? { input } : {});
  return { model, inputs, target: json.target };
}

export function randomMatrix(rows: number, cols: number, random: Random, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * random.normal()));
}

export function randomTensor(shape: number[], random: Random, scale = 1): Tensor<'float32'> {
  const t = Tensor.float32(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = scale * random.normal();
  return t;
}

/** Rows of a [n, d] tensor as float64 arrays. */
export function rowsOf(t: Tensor): number[][] {
  const d = t.size / t.shape[0]!;
  const values = t.toNumbers();
  return Array.from({ length: t.shape[0]! }, (_, r) => values.slice(r * d, (r + 1) * d));
}

const matrix = (m: number[][]): Tensor => Tensor.float32([m.length, m[0]!.length], m.flat());
const vector = (v: number[]): Tensor => Tensor.float32([v.length], v);

/** y = xW + c. */
export async function linearModel(w: number[][], c: number[]): Promise<Explainable> {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', w.length]);
  b.output(b.op('Add', [b.op('MatMul', [x, b.constant('w', matrix(w))]), b.constant('c', vector(c))], {}, { outputs: ['y'] })[0]!);
  return Explainable.create(b.model());
}

export type Activation = 'Relu' | 'Elu' | 'LeakyRelu' | 'Sigmoid' | 'Tanh' | 'Softplus';

export const ACTIVATIONS: Record<Activation, (v: number) => number> = {
  Relu: (v) => Math.max(0, v),
  Elu: (v) => (v > 0 ? v : Math.expm1(v)),
  LeakyRelu: (v) => (v > 0 ? v : 0.01 * v),
  Sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  Tanh: Math.tanh,
  Softplus: (v) => Math.log1p(Math.exp(v)),
};

export interface Net {
  w1: number[][];
  c1: number[];
  w2: number[][];
  c2: number[];
  f: Activation;
  softmax?: boolean;
}

/** y = f(xW₁ + c₁)W₂ + c₂ (then Softmax over the classes when asked). */
export async function netModel(net: Net): Promise<Explainable> {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', net.w1.length]);
  const h = b.op('Add', [b.op('MatMul', [x, b.constant('w1', matrix(net.w1))]), b.constant('c1', vector(net.c1))]);
  const z = b.op('Add', [b.op('MatMul', [b.op(net.f, [h], {}, { name: 'act' }), b.constant('w2', matrix(net.w2))]), b.constant('c2', vector(net.c2))]);
  b.output(net.softmax ? b.op('Softmax', [z], { axis: 1 }, { outputs: ['y'] })[0]! : b.op('Identity', [z], {}, { outputs: ['y'] })[0]!);
  return Explainable.create(b.model());
}

export function randomNet(f: Activation, inputs: number, hidden: number, classes: number, seed: number, softmax = false): Net {
  const random = new Random(seed);
  return { w1: randomMatrix(inputs, hidden, random), c1: randomMatrix(1, hidden, random)[0]!, w2: randomMatrix(hidden, classes, random), c2: randomMatrix(1, classes, random)[0]!, f, softmax };
}

export function hiddenOf(net: Net, x: number[]): number[] {
  return net.c1.map((c, j) => c + x.reduce((s, v, i) => s + v * net.w1[i]![j]!, 0));
}

export function outputOf(net: Net, x: number[]): number[] {
  const a = hiddenOf(net, x).map(ACTIVATIONS[net.f]);
  return net.c2.map((c, k) => c + a.reduce((s, v, j) => s + v * net.w2[j]![k]!, 0));
}

/**
 * DeepLift (rescale rule) of output `t` of a net without Softmax, in float64: multipliers
 * m_j = Δf/Δh per hidden unit; attribution_i = (x_i − x′_i) Σ_j W₁[i][j] m_j W₂[j][t].
 */
export function deepLiftNet(net: Net, x: number[], ref: number[], t: number): number[] {
  const f = ACTIVATIONS[net.f];
  const [h, hr] = [hiddenOf(net, x), hiddenOf(net, ref)];
  const m = h.map((v, j) => (f(v) - f(hr[j]!)) / (v - hr[j]!));
  return x.map((v, i) => (v - ref[i]!) * m.reduce((s, mj, j) => s + net.w1[i]![j]! * mj * net.w2[j]![t]!, 0));
}
