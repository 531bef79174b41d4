import { expect } from 'vitest';
import { buildGradientGraph } from '../../../src/autodiff/gradients.js';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import type { Dim } from '../../../src/onnx/ir/value.js';
import { inferShapes } from '../../../src/onnx/shapes/index.js';
import { gradcheck } from '../../../src/engine/gradcheck.js';
import { dtypeToOnnx, type DType } from '../../../src/tensor/dtype.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import type { Feeds } from '../../../src/runtime/feeds.js';
import { Session } from '../../../src/runtime/session.js';
import { buildModel, rand, type RuleCase } from '../harness.js';

/** An int64 constant. */
export function ints(b: GraphBuilder, values: (number | bigint)[], shape: number[] = [values.length]): string {
  return b.constant('ints', Tensor.int64(shape, values));
}

export function floats(b: GraphBuilder, values: number[], shape: number[] = [values.length]): string {
  return b.constant('floats', Tensor.float32(shape, values));
}

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** Declares a value's type for ops shape inference does not know yet (ScatterND, ScatterElements). */
export function declare(b: GraphBuilder, name: string, dtype: DType, shape: Dim[]): string {
  b.graph.valueInfo.set(name, { name, elemType: dtypeToOnnx(dtype), shape });
  return name;
}

/** Op types of the nodes the gradient build added (forward nodes excluded). */
export function backwardOps(testCase: Pick<RuleCase, 'build' | 'wrt'>): string[] {
  const { model, outputs } = buildModel(testCase.build);
  const forward = model.graph.nodes.length;
  const wrt = testCase.wrt ?? model.graph.inputs.filter((i) => i.elemType === 1 || i.elemType === 11).map((i) => i.name);
  const grad = buildGradientGraph(model, { of: outputs, wrt });
  return grad.model.graph.nodes.slice(forward).map((n) => n.opType);
}

/**
 * Second order: builds the gradient graph of the case, infers its shapes, and checks the
 * gradient of its gradient outputs with respect to the seeds. These ops are linear, so their
 * backward is linear in the seed: this differentiates every op the rules emitted.
 */
export async function expectSecondOrder(testCase: RuleCase & { wrt: string[] }): Promise<number> {
  const { model, outputs } = buildModel(testCase.build);
  const session = await Session.create(model);
  const forward = await session.run(testCase.feeds);
  await session.release();
  const grad = buildGradientGraph(model, { of: outputs, wrt: testCase.wrt });
  inferShapes(grad.model);
  const feeds: Feeds = { ...testCase.feeds };
  for (const [of, seed] of Object.entries(grad.seeds)) {
    const out = forward[of]!;
    feeds[seed] = rand([...out.shape], { dtype: out.dtype, seed: 5 });
  }
  const results = await gradcheck(grad.model, {
    feeds,
    of: Object.values(grad.gradients),
    wrt: Object.values(grad.seeds),
    directions: 2,
    ...(testCase.epsilon ? { epsilon: testCase.epsilon } : {}),
    runtime: { deterministic: true },
  });
  let worst = 0;
  for (const r of results) {
    const tol = testCase.tolerance ?? (r.dtype === 'float64' ? 1e-6 : 2e-2);
    expect(r.worstRelError, `${r.wrt}: ${JSON.stringify(r.checks)}`).toBeLessThan(tol);
    worst = Math.max(worst, r.worstRelError);
  }
  return worst;
}
