import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../../../src/onnx/builder.js';
import { encodeModel } from '../../../src/onnx/io.js';
import type { Model } from '../../../src/onnx/ir/model.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import type { TrainerState } from '../../../src/train/types.js';

export function tempDir(prefix = 'glassbox-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Weights of the tiny model at a given "step": deterministic, different for every step. */
export function tinyWeights(step: number): Map<string, Tensor> {
  const w = Array.from({ length: 12 }, (_, i) => Math.sin(step * 0.37 + i) * 0.5);
  const b = Array.from({ length: 3 }, (_, i) => Math.cos(step * 0.11 + i) * 0.1);
  return new Map([['fc.weight', Tensor.float32([4, 3], w)], ['fc.bias', Tensor.float32([3], b)]]);
}

/** logits = x · fc.weight + fc.bias, x: float32 [batch, 4], logits: [batch, 3]. */
export function tinyModel(weights: Map<string, Tensor> = tinyWeights(0)): Model {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 4]);
  const w = b.weight('fc.weight', weights.get('fc.weight')!);
  const bias = b.weight('fc.bias', weights.get('fc.bias')!);
  const y = b.op('MatMul', [x, w], {}, { name: 'fc/MatMul' });
  b.op('Add', [y, bias], {}, { name: 'fc/Add', outputs: ['logits'] });
  b.output('logits', { elemType: 1, shape: ['batch', 3] });
  return b.model();
}

export function tinyGraph(): Uint8Array {
  return encodeModel(tinyModel());
}

/** What the tiny model computes, in float64 then rounded to float32. */
export function tinyForward(weights: Map<string, Tensor>, x: number[]): number[] {
  const w = weights.get('fc.weight')!.data as Float32Array;
  const b = weights.get('fc.bias')!.data as Float32Array;
  return [0, 1, 2].map((j) => Math.fround(x.reduce((s, xi, i) => s + xi * w[i * 3 + j]!, 0) + b[j]!));
}

export function tinyState(step: number): TrainerState {
  const weights = tinyWeights(step);
  const optimizer = new Map([...weights].map(([k, t]) => [`momentum/${k}`, Tensor.float32(t.shape, (t.data as Float32Array).map((v) => v * step))]));
  return { weights, optimizer, resume: { step, rng: { state: 1234 + step, spare: null }, order: [3, 1, 2] } };
}
