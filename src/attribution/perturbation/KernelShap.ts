import type { Random } from '../../util/random.js';
import { fitLinearRegression, type Design, type LinearFit } from './linear-model.js';
import { Lime, type LimeOptions } from './Lime.js';

export type KernelShapOptions = LimeOptions;

/** Captum's inf_weight: the all-ones and all-zeros samples pin the fit to F(x) and F(baseline). */
const INF_WEIGHT = 1e6;

/**
 * Captum's KernelShap: Lime with the Shapley kernel. Samples are the all-ones vector, the
 * all-zeros vector, then vectors with k ones, k drawn with p(k) ∝ (M − 1) / (k (M − k)) for
 * 1 ≤ k < M and the k features uniformly; weights are 1 (1e6 for the two end points); the model
 * is a weighted linear regression with an intercept. The coefficients approximate Shapley values
 * and sum to about F(x) − F(baseline).
 */
export class KernelShap extends Lime {
  protected override drawSamples(features: number, count: number, random: Random): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (count > 0) out.push(new Uint8Array(features).fill(1));
    if (count > 1) out.push(new Uint8Array(features));
    // Cumulative p(k) for k = 1 … M − 1 (Captum's Categorical over 0 … M − 1 with p(0) = 0).
    const cumulative: number[] = [];
    for (let k = 1, sum = 0; k < features; k++) cumulative.push((sum += (features - 1) / (k * (features - k))));
    while (out.length < count) {
      // With one feature Captum's distribution is empty; glassbox draws k ∈ {0, 1} evenly instead.
      let k = features === 1 ? random.int(2) : 1;
      if (features > 1) {
        const u = random.next() * cumulative[cumulative.length - 1]!;
        while (k < features - 1 && cumulative[k - 1]! <= u) k++;
      }
      const sample = new Uint8Array(features);
      const order = random.permutation(features);
      for (let i = 0; i < k; i++) sample[order[i]!] = 1;
      out.push(sample);
    }
    return out;
  }

  protected override similarity(_original: Float32Array, _perturbed: Float32Array, sample: Uint8Array): number {
    let on = 0;
    for (const bit of sample) on += bit;
    return on === 0 || on === sample.length ? INF_WEIGHT : 1;
  }

  protected override fit(design: Design, outputs: Float64Array, weights: Float64Array): LinearFit {
    return fitLinearRegression(design, outputs, weights);
  }
}
