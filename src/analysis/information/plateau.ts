/**
 * Early stopping on a plateau. The loss of one step is one noisy draw, so steps are grouped in
 * windows (default 50) and compared by their means. A window makes progress when
 * - its mean loss is lower than every earlier window's by more than `lossTolerance` (relative):
 *   the usual "no improvement of the best for `patience` evaluations" rule, against the best
 *   window rather than the previous one because window means still differ by step noise, which
 *   makes "lower than the last window" a coin toss once the loss has settled; or
 * - a unit above half the scale (sigmoid(r) > ½) raised its window-mean log σ by more than
 *   `sigmaTolerance`. The loss cannot see those units: a forgotten word's σ costs nothing, and
 *   −λ·log sigmoid(r) keeps pushing it up towards scale while the loss no longer moves. (Below
 *   half the scale σ is judged by the loss alone: there its window means jitter by several per
 *   cent from step noise, which would never let the run stop.)
 * After `patience` windows in a row without progress (and at least `minSteps` steps), stop.
 */
import { GlassboxError } from '../../util/errors.js';
import type { EarlyStopOptions } from './types.js';

export const EARLY_STOP_DEFAULTS: Required<EarlyStopOptions> = { window: 50, lossTolerance: 0.002, sigmaTolerance: 0.01, patience: 2, minSteps: 100 };

export function earlyStopOptions(option: boolean | EarlyStopOptions | undefined): Required<EarlyStopOptions> | undefined {
  if (option === false) return undefined;
  const o = { ...EARLY_STOP_DEFAULTS, ...(typeof option === 'object' ? option : {}) };
  const positiveInt = (n: number) => Number.isInteger(n) && n >= 1;
  if (!positiveInt(o.window) || !positiveInt(o.patience) || !(Number.isInteger(o.minSteps) && o.minSteps >= 0) || !(o.lossTolerance >= 0) || !(o.sigmaTolerance >= 0)) {
    throw new GlassboxError('bad-option', `earlyStop needs whole window ≥ 1, patience ≥ 1, minSteps ≥ 0 and tolerances ≥ 0, got ${JSON.stringify(option)}`);
  }
  return o;
}

/**
 * Window means of one layer's optimisation, whether it has stopped improving, and the r to keep:
 * the mean r of the window with the lowest mean loss. (The reference keeps the r of the single
 * step with the lowest loss; one step's loss is one noisy draw, whose luck then picks the r —
 * on a linear layer that put the smallest σ 60 % off its closed form, the window mean 3 %.)
 */
export class Plateau {
  /** Mean loss of every completed window. */
  readonly windows: number[] = [];
  /** Mean r over the best window so far (undefined before the first window ends). */
  bestR: Float32Array | undefined;
  private rSum: Float64Array;
  /** Sum of r over the completed windows since restart() (undefined before any restart). */
  private settledSum: Float64Array | undefined;
  private settledCount = 0;
  private lossSum = 0;
  private bestWindow = Infinity;
  /** Per unit: sum of log sigmoid(r) (log σ − log scale) over the window. */
  private logSum: Float64Array;
  private previousLog: Float64Array | undefined;
  private count = 0;
  private steps = 0;
  private stale = 0;

  constructor(units: number, private readonly options: Required<EarlyStopOptions> | undefined, readonly window = options?.window ?? EARLY_STOP_DEFAULTS.window) {
    this.logSum = new Float64Array(units);
    this.rSum = new Float64Array(units);
  }

  /** Counts progress afresh (after the learning rate dropped), keeping the windows and the best. */
  restart(): void {
    this.stale = 0;
    this.settledSum = new Float64Array(this.rSum.length);
    this.settledCount = 0;
  }

  /** Mean r over the whole windows since restart(), if any. */
  get settledR(): Float32Array | undefined {
    const sum = this.settledSum;
    return sum && this.settledCount > 0 ? Float32Array.from(sum, (s) => s / this.settledCount) : undefined;
  }

  /** Records one step (its loss and r); true when the optimisation should stop after it. */
  push(loss: number, r: ArrayLike<number>): boolean {
    this.steps++;
    this.count++;
    this.lossSum += loss;
    for (let i = 0; i < this.logSum.length; i++) {
      this.logSum[i]! -= softplus(-r[i]!);
      this.rSum[i]! += r[i]!;
    }
    if (this.count < this.window) return false;
    const mean = this.lossSum / this.count;
    const logMean = this.logSum.map((s) => s / this.count);
    const [best, previousLog] = [this.bestWindow, this.previousLog];
    this.windows.push(mean);
    if (mean < best) {
      this.bestWindow = mean;
      this.bestR = Float32Array.from(this.rSum, (s) => s / this.count);
    }
    this.previousLog = logMean;
    if (this.settledSum) {
      for (let i = 0; i < this.rSum.length; i++) this.settledSum[i]! += this.rSum[i]!;
      this.settledCount += this.count;
    }
    this.lossSum = 0;
    this.rSum = new Float64Array(this.rSum.length);
    this.count = 0;
    this.logSum = new Float64Array(this.logSum.length);
    if (!this.options || !previousLog) return false;
    const lossMoved = best - mean > this.options.lossTolerance * Math.abs(best);
    let sigmaMoved = false;
    for (let i = 0; i < logMean.length && !sigmaMoved; i++) sigmaMoved = logMean[i]! > -Math.LN2 && logMean[i]! - previousLog[i]! > this.options.sigmaTolerance;
    this.stale = lossMoved || sigmaMoved ? 0 : this.stale + 1;
    return this.stale >= this.options.patience && this.steps >= this.options.minSteps;
  }
}

/** log(1 + eˣ), without overflow: −softplus(−r) = log sigmoid(r). */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
