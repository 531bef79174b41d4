/**
 * Captum parity of the perturbation family (Occlusion, FeatureAblation, ShapleyValueSampling,
 * KernelShap, Lime) on the MLP, CNN and Transformer of test/fixtures/attribution, with the
 * random permutations and binary samples given, against float64 references computed with
 * Captum's definitions (scripts/fixtures/export_attributions.py).
 */
import { afterAll, describe, it } from 'vitest';
import { FeatureAblation, KernelShap, Lime, Occlusion, ShapleyValueSampling } from '../../../../src/attribution/perturbation/index.js';
import type { AttributionResult } from '../../../../src/attribution/types.js';
import type { Tensor } from '../../../../src/tensor/tensor.js';
import { casesOf, compare, fixture, MODELS, optionsFor, summary, type Case, type Fixture, type Tolerance } from './captum.js';

const FILE = 'perturbation';

/**
 * Perturbation attributions are differences of outputs, F(x) − F(x′), each F a float32 value
 * of size |F| ~ 1-10 (error ~1e-7·|F|), while the differences are ~0.01-1: a relative error of
 * up to ~1e-5 before any fitting (measured: at most 3e-6), so 1e-4. KernelShap fits a weighted
 * least-squares model to them (the design's conditioning, with 1e6 end-point weights, can
 * amplify that; measured 1e-6), same bound. Lime's Lasso: the references are the exact
 * optimum, while glassbox stops as sklearn does (coordinate descent until the duality gap is
 * below tol·‖y‖², tol = 1e-4), which leaves coefficients up to ~1e-4 relative off the optimum
 * (measured 6e-5 on the CNN): 1e-3.
 */
function tolerance(c: Case): Tolerance {
  if (c.method === 'Lime') return { attr: 1e-3 };
  return { attr: 1e-4 };
}

type Method = { attribute(x: Tensor, options: never): Promise<AttributionResult> };

function methodFor(f: Fixture, c: Case): Method {
  const ex = f.explainable;
  switch (c.method) {
    case 'Occlusion': return new Occlusion(ex) as Method;
    case 'FeatureAblation': return new FeatureAblation(ex) as Method;
    case 'ShapleyValueSampling': return new ShapleyValueSampling(ex) as Method;
    case 'KernelShap': return new KernelShap(ex) as Method;
    case 'Lime': return new Lime(ex) as Method;
    default: throw new Error(`not a perturbation method: ${c.method}`);
  }
}

const METHODS = ['Occlusion', 'FeatureAblation', 'ShapleyValueSampling', 'KernelShap', 'Lime'];

for (const name of MODELS) {
  describe(`Captum parity, perturbation methods: ${name}`, async () => {
    const f = await fixture(name);
    for (const c of casesOf(f, METHODS)) {
      it(c.id, async () => {
        const result = await methodFor(f, c).attribute(f.input, optionsFor(f, c) as never);
        compare(f, c, result, tolerance(c), FILE);
      });
    }
  });
}

afterAll(async () => {
  console.log(`perturbation parity (relative errors):\n${summary(FILE)}`);
  for (const name of MODELS) await (await fixture(name)).explainable.release();
});
