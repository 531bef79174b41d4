import type { GradcheckResult } from '../../../src/engine/gradcheck.js';
import { GradientSession } from '../../../src/engine/gradient-session.js';
import type { Feeds } from '../../../src/runtime/feeds.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { buildModel, expectGradientsMatch, type RuleCase } from '../harness.js';

/**
 * expectGradientsMatch with a label in the failure message; with GRADCHECK_REPORT=1 it also
 * prints the worst relative error per label (how the tolerances below were chosen).
 */
export async function check(label: string, testCase: RuleCase): Promise<GradcheckResult[]> {
  let results: GradcheckResult[];
  try {
    results = await expectGradientsMatch(testCase);
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`);
  }
  if (process.env.GRADCHECK_REPORT) {
    const worst = Math.max(...results.map((r) => r.worstRelError));
    console.log(`[gradcheck] ${label} ${results[0]?.dtype} worst rel error ${worst.toExponential(2)}`);
  }
  return results;
}

/** The vector-Jacobian product of the model `build` writes (one output) with `seed`, per wrt. */
export async function vjp(build: RuleCase['build'], feeds: Feeds, wrt: string[], seed: Tensor): Promise<Record<string, Tensor>> {
  const { model, outputs } = buildModel(build);
  const session = await GradientSession.create(model, { of: outputs, wrt }, { deterministic: true });
  try {
    return (await session.run(feeds, { [outputs[0]!]: seed })).gradients;
  } finally {
    await session.release();
  }
}

/** max |a − b| / max |b|. */
export function relDiff(a: Tensor, b: Tensor): number {
  const [x, y] = [a.data as Float64Array, b.data as Float64Array];
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}
