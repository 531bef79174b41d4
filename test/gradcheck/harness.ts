import { expect } from 'vitest';
import { GraphBuilder } from '../../src/onnx/builder.js';
import type { Model } from '../../src/onnx/ir/model.js';
import { inferShapes } from '../../src/onnx/shapes/index.js';
import { gradcheck, type GradcheckResult } from '../../src/engine/gradcheck.js';
import type { Feeds } from '../../src/runtime/feeds.js';
import { Random } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import type { DType } from '../../src/tensor/dtype.js';

export interface RuleCase {
  /** Builds the graph; return the output name(s) to differentiate. */
  build: (b: GraphBuilder) => string | string[];
  feeds: Feeds;
  wrt?: string[];
  /** Relative error allowed: default 1e-6 for float64 (what central differences reach). */
  tolerance?: number;
  directions?: number;
  epsilon?: number;
}

/** A canonical (opset 21) model from a builder callback, with static shapes inferred. */
export function buildModel(build: RuleCase['build']): { model: Model; outputs: string[] } {
  const b = new GraphBuilder();
  const out = build(b);
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) b.output(o);
  const model = b.model({ opset: 21 });
  inferShapes(model);
  return { model, outputs };
}

/** Builds the case, checks every wrt tensor along random directions, and asserts the tolerance. */
export async function expectGradientsMatch(testCase: RuleCase): Promise<GradcheckResult[]> {
  const { model, outputs } = buildModel(testCase.build);
  const results = await gradcheck(model, {
    feeds: testCase.feeds,
    of: outputs,
    ...(testCase.wrt ? { wrt: testCase.wrt } : {}),
    directions: testCase.directions ?? 3,
    ...(testCase.epsilon ? { epsilon: testCase.epsilon } : {}),
    runtime: { deterministic: true },
  });
  for (const r of results) {
    const tol = testCase.tolerance ?? (r.dtype === 'float64' ? 1e-6 : 2e-2);
    expect(r.worstRelError, `${r.wrt}: ${JSON.stringify(r.checks)}`).toBeLessThan(tol);
  }
  return results;
}

/** A random tensor (normal, or uniform in [low, high]) with a fixed seed. */
export function rand(shape: number[], options: { dtype?: DType; seed?: number; low?: number; high?: number; awayFrom?: number[] } = {}): Tensor {
  const random = new Random(options.seed ?? shape.reduce((a, b) => a * 31 + b, 17));
  const t = Tensor.zeros(options.dtype ?? 'float64', shape);
  const data = t.data as Float64Array;
  for (let i = 0; i < data.length; i++) {
    let v = options.low !== undefined ? random.uniform(options.low, options.high ?? 1) : random.normal();
    // Keep values off kinks (0 for Relu, ±1 for Clip...) so finite differences stay valid.
    for (const k of options.awayFrom ?? []) if (Math.abs(v - k) < 0.05) v = k + (v >= k ? 0.05 : -0.05);
    data[i] = v;
  }
  return t;
}

/** Prints measured errors when GRADCHECK_REPORT is set (the figures quoted in notes come from here). */
export function report(...parts: unknown[]): void {
  if (process.env.GRADCHECK_REPORT) console.log(...parts);
}
