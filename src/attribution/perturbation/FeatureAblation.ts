import type { Tensor } from '../../tensor/tensor.js';
import type { Explainable } from '../explainable.js';
import type { AttributionResult } from '../types.js';
import { expandBaseline } from '../util/baselines.js';
import { ablate, type AblatedFeatures } from './ablation.js';
import { elementsByFeature, featureMask, type FeatureMask } from './feature-mask.js';
import { type BaselineOptions } from './perturb.js';
import { checkInput, checkTarget } from '../util/checks.js';

export interface FeatureAblationOptions extends BaselineOptions {
  /**
   * Feature ids per element (integers ≥ 0), shaped like one row, like the input, or broadcast
   * to it; elements with one id are ablated together. Default: every element its own feature.
   */
  featureMask?: Tensor;
}

/**
 * Captum's FeatureAblation: each feature of `featureMask`, from the smallest id to the largest,
 * is replaced by the baseline in turn; every element of the feature gets F(x) − F(ablated).
 */
export class FeatureAblation {
  constructor(readonly explainable: Explainable) {}

  async attribute(input: Tensor, options: FeatureAblationOptions = {}): Promise<AttributionResult> {
    checkInput(input);
    checkTarget(options.target, input.shape[0]!);
    const baseline = expandBaseline(input, options.baselines);
    const mask = featureMask(input, options.featureMask);
    return { attributions: await ablate(this.explainable, input, baseline, maskFeatures(mask, input.shape[0]!), false, options) };
  }
}

/** Captum ablates ids min … max; an id no element carries costs a run and credits nothing. */
function maskFeatures(mask: FeatureMask, rows: number): AblatedFeatures {
  const lists = Array.from({ length: mask.rows === 1 ? 1 : rows }, (_, r) => elementsByFeature(mask, r));
  return {
    count: mask.count - mask.min,
    elements: (f, r) => lists[mask.rows === 1 ? 0 : r]![f + mask.min]!,
  };
}
