import type { Tensor } from '../tensor/tensor.js';

/**
 * Which output to explain, as in Captum: for outputs [batch, classes], one class for every row
 * (a number) or one per row (an array); undefined for outputs with one value per row.
 */
export type Target = number | readonly number[] | undefined;

/**
 * Baselines (reference inputs): 'zeros', a number filling the input's shape, one tensor shaped
 * like the input (or like one row of it), or for the SHAP family a set of tensors to draw from.
 */
export type Baselines = 'zeros' | number | Tensor | readonly Tensor[];

export interface AttributionResult {
  /** Shaped like the input. */
  attributions: Tensor;
  /** Per row: completeness error, Σ attributions − (F(x) − F(baseline)), where the method defines it. */
  delta?: Float64Array;
}

/** Anything with Captum's attribute(): every method class (NoiseTunnel and the metrics take these). */
export interface AttributionMethod<O> {
  attribute(input: Tensor, options: O): Promise<AttributionResult>;
}

export interface AttributeOptions {
  target?: Target;
  /** Rows per internal forward/backward run (default: as many as fit the memory budget). */
  internalBatchSize?: number;
  /** Called with (rows done, rows in all) during long runs. */
  onProgress?: (done: number, total: number) => void;
}
