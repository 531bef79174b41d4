/** Defaults and checks of the measure's options (one-line errors before any work is done). */
import { GlassboxError } from '../../util/errors.js';
import { earlyStopOptions } from './plateau.js';
import type { EarlyStopOptions, InformationOptions } from './types.js';

/**
 * The reference's settings (λ 0.1, at most 5000 Adam steps, lr 0.01 for one noise draw per
 * step), with 4 draws per step and early stopping by default. `lr` is the rate for one draw:
 * with K draws the gradient's noise falls by √K and the rate used is lr·√K — the square-root
 * scaling rule for Adam (Malladi et al., NeurIPS 2022, "On the SDEs and Scaling Rules for
 * Adaptive Gradient Algorithms") — so noiseSamples 1 is the reference exactly, and K draws
 * travel the same way in fewer steps (bench/information.ts measures what that buys).
 */
export const INFORMATION_DEFAULTS = { steps: 5000, lambda: 0.1, lr: 0.01, noiseSamples: 4, seed: 0 } as const;

/**
 * Adam's β₂. torch's default (and the reference's) is 0.999: the second moment then remembers
 * about 1000 steps, among them the first steps' huge gradients (σ starts near scale/2, far above
 * where it ends for most units), which shrink every later step: on a trained sentiment
 * Transformer the reference's 5000 steps had not converged on its shallow layers (the loss was
 * still falling; 20000 steps went further). 0.99 forgets them within a few hundred steps.
 */
export const BETA2 = 0.99;

export interface ResolvedOptions {
  steps: number;
  lambda: number;
  /** The Adam rate used: lr·√noiseSamples unless `lrScaling` is off. */
  lr: number;
  noiseSamples: number;
  seed: number;
  betas: [number, number];
  travel: number;
  scale: number | undefined;
  earlyStop: Required<EarlyStopOptions> | undefined;
}

export function resolveOptions(options: InformationOptions): ResolvedOptions {
  const o = { ...INFORMATION_DEFAULTS, ...definedOnly(options) };
  const bad = (what: string, value: unknown) => new GlassboxError('bad-option', `${what}, got ${String(value)}`);
  if (!(Number.isInteger(o.steps) && o.steps >= 1)) throw bad('steps must be a whole number ≥ 1', o.steps);
  if (!(Number.isFinite(o.lambda) && o.lambda >= 0)) throw bad('lambda must be a finite number ≥ 0', o.lambda);
  if (!(Number.isFinite(o.lr) && o.lr > 0)) throw bad('lr must be a finite number > 0', o.lr);
  if (!(Number.isInteger(o.noiseSamples) && o.noiseSamples >= 1)) throw bad('noiseSamples must be a whole number ≥ 1', o.noiseSamples);
  if (!Number.isInteger(o.seed)) throw bad('seed must be a whole number', o.seed);
  if (options.scale !== undefined && !(Number.isFinite(options.scale) && options.scale > 0)) throw bad('scale must be a finite number > 0', options.scale);
  const lr = options.lrScaling === false ? o.lr : o.lr * Math.sqrt(o.noiseSamples);
  const betas: [number, number] = [0.9, options.beta2 ?? BETA2];
  const travel = options.travel ?? 4;
  if (!(Number.isFinite(travel) && travel >= 1)) throw bad('travel must be a finite number ≥ 1', travel);
  return { steps: o.steps, lambda: o.lambda, lr, betas, travel, noiseSamples: o.noiseSamples, seed: o.seed, scale: options.scale, earlyStop: earlyStopOptions(options.earlyStop) };
}

function definedOnly(options: InformationOptions): Partial<typeof INFORMATION_DEFAULTS> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(INFORMATION_DEFAULTS) as (keyof typeof INFORMATION_DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
