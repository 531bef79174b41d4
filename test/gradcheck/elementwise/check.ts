import { expect } from 'vitest';
import { GradientSession } from '../../../src/engine/gradient-session.js';
import type { Feeds } from '../../../src/runtime/feeds.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { buildGradientGraph } from '../../../src/autodiff/gradients.js';
import { gradcheck } from '../../../src/engine/gradcheck.js';
import { inferShapes } from '../../../src/onnx/shapes/index.js';
import { buildModel, expectGradientsMatch, rand, type RuleCase } from '../harness.js';

/**
 * expectGradientsMatch, printing the worst relative error per wrt tensor when
 * GRADCHECK_REPORT is set (the numbers quoted in reports come from here).
 */
export async function check(label: string, testCase: RuleCase): Promise<void> {
  const results = await expectGradientsMatch(testCase);
  if (process.env.GRADCHECK_REPORT) {
    for (const r of results) console.log(`[gradcheck] ${label} ${r.wrt} ${r.dtype} worstRel=${r.worstRelError.toExponential(2)} ${JSON.stringify(r.checks.slice(0, 1))}`);
  }
}

/**
 * Gradients of Σ outputs (seed of ones) at chosen points, for conventions central differences
 * cannot see (kinks, ties): returns each wrt gradient as plain numbers.
 */
export async function gradientsAt(build: RuleCase['build'], feeds: Feeds, wrt: string[]): Promise<Record<string, number[]>> {
  const { model, outputs } = buildModel(build);
  const session = await GradientSession.create(model, { of: outputs, wrt, seed: 'ones' }, { deterministic: true });
  try {
    const { gradients } = await session.run(feeds, {}, { allowNaN: true });
    return Object.fromEntries(wrt.map((w) => [w, gradients[w]!.toNumbers()]));
  } finally {
    await session.release();
  }
}

/** Elementwise closeness with a relative tolerance (NaN matches NaN). */
export function expectClose(actual: number[], expected: number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(a, `element ${i}`).toBeNaN();
    else expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
  });
}

export const f64 = (values: number[], shape: number[] = [values.length]): Tensor => Tensor.float64(shape, values);
export const f32 = (values: number[], shape: number[] = [values.length]): Tensor => Tensor.float32(shape, values);

/**
 * Second order: builds the gradient graph of the case (a seed input per output), then checks
 * the gradient of ⟨w, ∇f⟩ (a Hessian-vector product) against central differences of ∇f, i.e.
 * the builder differentiating the graphs these rules emit.
 */
export async function checkSecondOrder(label: string, testCase: RuleCase & { wrt: string[] }): Promise<void> {
  const { model, outputs } = buildModel(testCase.build);
  const first = buildGradientGraph(model, { of: outputs, wrt: testCase.wrt });
  inferShapes(first.model);
  const seeds: Feeds = {};
  outputs.forEach((o, i) => {
    const like = testCase.feeds[testCase.wrt[0]!]!;
    const shape = first.model.graph.inputs.find((v) => v.name === first.seeds[o])!.shape!.map((d, k) => (typeof d === 'number' ? d : like.shape[k]!));
    seeds[first.seeds[o]!] = rand(shape, { dtype: like.dtype, seed: 100 + i });
  });
  const results = await gradcheck(first.model, {
    feeds: { ...testCase.feeds, ...seeds },
    of: testCase.wrt.map((w) => first.gradients[w]!),
    wrt: testCase.wrt,
    directions: testCase.directions ?? 3,
    ...(testCase.epsilon ? { epsilon: testCase.epsilon } : {}),
    runtime: { deterministic: true },
  });
  for (const r of results) {
    if (process.env.GRADCHECK_REPORT) console.log(`[gradcheck] 2nd order ${label} ${r.wrt} ${r.dtype} worstRel=${r.worstRelError.toExponential(2)}`);
    const tol = testCase.tolerance ?? (r.dtype === 'float64' ? 1e-6 : 2e-2);
    expect(r.worstRelError, `${r.wrt}: ${JSON.stringify(r.checks)}`).toBeLessThan(tol);
  }
}
