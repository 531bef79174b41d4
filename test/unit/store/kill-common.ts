/** Shared by the kill -9 test and its child processes: deterministic checkpoint contents. */
import { createHash } from 'node:crypto';
import { GraphBuilder } from '../../../src/onnx/builder.js';
import { encodeModel } from '../../../src/onnx/io.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import type { TrainerState } from '../../../src/train/types.js';

export const SIZE = 256;

function fill(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}

export function killState(step: number): TrainerState {
  return {
    weights: new Map([
      ['w', new Tensor('float32', [SIZE, SIZE], fill(SIZE * SIZE, step * 3 + 1))],
      ['b', new Tensor('float32', [SIZE], fill(SIZE, step * 3 + 2))],
    ]),
    optimizer: new Map([['m/w', new Tensor('float32', [SIZE, SIZE], fill(SIZE * SIZE, step * 3 + 3))]]),
    resume: { step, note: `state after step ${step}` },
  };
}

export function killGraph(): Uint8Array {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', SIZE]);
  const state = killState(0);
  const y = b.op('MatMul', [x, b.weight('w', state.weights.get('w')!)]);
  b.op('Add', [y, b.weight('b', state.weights.get('b')!)], {}, { outputs: ['y'] });
  b.output('y', { elemType: 1, shape: ['batch', SIZE] });
  return encodeModel(b.model());
}

/** A checksum of a state's tensors and resume JSON. */
export function digest(state: TrainerState): string {
  const hash = createHash('sha256');
  for (const group of [state.weights, state.optimizer]) {
    for (const name of [...group.keys()].sort()) {
      const t = group.get(name)!;
      const data = t.data as Float32Array;
      hash.update(name).update(JSON.stringify(t.shape)).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
  }
  return hash.update(JSON.stringify(state.resume)).digest('hex');
}
