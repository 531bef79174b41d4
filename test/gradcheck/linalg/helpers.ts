import { expect } from 'vitest';
import { GradientSession } from '../../../src/engine/gradient-session.js';
import { Session } from '../../../src/runtime/session.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import type { DType } from '../../../src/tensor/dtype.js';
import { buildModel, rand, type RuleCase } from '../harness.js';

let seedCounter = 1000;

/** A random tensor with a fresh seed (harness.rand seeds by shape: equal shapes, equal data). */
export function randn(shape: number[], dtype: DType = 'float32', options: { low?: number; high?: number } = {}): Tensor {
  const t = rand(shape, { seed: ++seedCounter, ...options });
  return dtype === 'float64' ? t : Tensor.float32(shape, t.data as Float64Array);
}

/** Random small integers in [0, n): inputs full of ties. */
export function randInts(shape: number[], n: number, dtype: DType = 'float64'): Tensor {
  const t = rand(shape, { seed: ++seedCounter, low: 0, high: n });
  const data = Array.from(t.data as Float64Array, (v) => Math.floor(v));
  return dtype === 'float64' ? Tensor.float64(shape, data) : Tensor.float32(shape, data);
}

export interface ReferenceCase {
  build: RuleCase['build'];
  feeds: Record<string, Tensor>;
  wrt: string[];
  /** The seed dy (shaped like the output). */
  seed: Tensor;
  /** Reference forward output and gradients (float64). */
  forward: ArrayLike<number>;
  forwardShape: number[];
  gradients: Record<string, ArrayLike<number>>;
  /** Max |got − ref| / max |ref| allowed. */
  tolerance: number;
}

/**
 * Runs the forward model and the gradient graph in onnxruntime and compares both with an
 * independent float64 reference; returns the worst relative error (max abs error / max |ref|).
 */
export async function expectMatchesReference(c: ReferenceCase): Promise<number> {
  const { model, outputs } = buildModel(c.build);
  const forward = await Session.create(model);
  let y: Tensor;
  try {
    y = (await forward.run(c.feeds))[outputs[0]!]!;
  } finally {
    await forward.release();
  }
  expect([...y.shape], 'forward shape').toEqual(c.forwardShape);
  let worst = relError(y.data as ArrayLike<number>, c.forward);
  expect(worst, 'forward value').toBeLessThan(c.tolerance);
  const session = await GradientSession.create(model, { of: outputs, wrt: c.wrt });
  try {
    const { gradients } = await session.run(c.feeds, { [outputs[0]!]: c.seed });
    for (const name of c.wrt) {
      const got = gradients[name]!;
      expect([...got.shape], `${name} gradient shape`).toEqual([...c.feeds[name]!.shape]);
      const err = relError(got.data as ArrayLike<number>, c.gradients[name]!);
      expect(err, `${name} gradient`).toBeLessThan(c.tolerance);
      worst = Math.max(worst, err);
    }
  } finally {
    await session.release();
  }
  return worst;
}

function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return err / Math.max(scale, 1e-30);
}

/** With GRADCHECK_REPORT set, prints the errors quoted in reports. */
export function report(label: string, kind: string, worst: number): void {
  if (process.env.GRADCHECK_REPORT) console.log(`[gradcheck] ${label} ${kind} worstRel=${worst.toExponential(2)}`);
}

/** Worst relative error over the results of expectGradientsMatch. */
export const worstOf = (results: { worstRelError: number }[]): number => Math.max(0, ...results.map((r) => r.worstRelError));

export const asNumbers = (t: Tensor): Float64Array => Float64Array.from(t.data as ArrayLike<number>);
