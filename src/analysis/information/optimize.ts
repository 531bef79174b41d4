/**
 * The optimisation loop of one graph (one or several layers): per step, fresh noise (K draws,
 * shared by the layers), one run for the losses and dL/dr, Adam (torch.optim.Adam's update) on
 * the small r in TypeScript. With early stopping a layer first travels at `travel` × the rate
 * (r starts near 0, σ near scale/2, and most units end several units of r lower), and at its
 * first plateau settles at the rate itself until a second plateau: the jitter of r, and with it
 * the error of the smallest σ, scales with the rate. A layer at its second plateau is frozen
 * (its rows still run, with the others).
 *
 * The r kept: after a settle phase, the mean r over it — the optimisation has settled there,
 * and the mean removes the step-to-step jitter. Otherwise (no early stopping, or travel 1), like
 * the reference, the best: the mean r of the window with the lowest mean loss (plateau.ts),
 * or of the single best step when no window completed. The reference keeps the single step
 * with the lowest one-draw loss, whose luck then picks r: on a linear layer with a closed-form
 * optimum its 5000 steps missed the smallest σ by up to 37 % (6 seeds and scales); the settled
 * mean, over 10 seeds and scales, by at most 7 % with 4 draws per step, 4 % with 16
 * (test/unit/analysis/information/closed-form.test.ts).
 */
import { RowAdam } from './adam.js';
import { GlassboxError } from '../../util/errors.js';
import type { Random } from '../../util/random.js';
import type { InformationEvaluator } from './evaluator.js';
import { fillNormal } from './noise.js';
import { Plateau } from './plateau.js';
import type { EarlyStopOptions } from './types.js';

export interface OptimizeSettings {
  steps: number;
  lr: number;
  /** The rate is this many times higher until the first plateau (1: stop there). */
  travel: number;
  betas: [number, number];
  scale: number;
  noiseSamples: number;
  earlyStop: Required<EarlyStopOptions> | undefined;
  random: Random;
  /** Called after each completed window with the step, each layer's last window mean and how many still run. */
  onWindow?: (step: number, losses: number[], active: number) => void;
}

export interface LayerOutcome {
  /** The kept r. */
  r: Float32Array;
  first: number;
  /** The lowest window-mean loss (the lowest step loss when no window completed). */
  best: number;
  windows: number[];
  steps: number;
  stopped: 'plateau' | 'steps';
}

/** Optimises r for every layer of the evaluator's graph from `initial` (one row of units per layer). */
export async function optimize(evaluator: InformationEvaluator, initial: readonly Float32Array[], settings: OptimizeSettings): Promise<LayerOutcome[]> {
  const L = evaluator.layerCount;
  const U = initial[0]!.length;
  const r = new Float32Array(L * U);
  initial.forEach((row, l) => r.set(row, l * U));
  const noise = new Float32Array(settings.noiseSamples * evaluator.rowSize);
  const rows = Array.from({ length: L }, (_, l) => r.subarray(l * U, (l + 1) * U));
  const plateaus = Array.from({ length: L }, () => new Plateau(U, settings.earlyStop));
  const outcomes: LayerOutcome[] = Array.from({ length: L }, (_, l) => ({ r: Float32Array.from(rows[l]!), first: NaN, best: Infinity, windows: plateaus[l]!.windows, steps: 0, stopped: 'steps' }));
  const active = new Array<boolean>(L).fill(true);
  const adam = new RowAdam(L, U, settings.betas);
  const travelling = settings.earlyStop !== undefined && settings.travel > 1;
  const rates = new Array<number>(L).fill(travelling ? settings.lr * settings.travel : settings.lr);
  const settling = new Array<boolean>(L).fill(!travelling);

  for (let step = 0; step < settings.steps; step++) {
    fillNormal(settings.random, noise);
    const { losses, gradient } = await evaluator.evaluate(r, noise);
    let windowDone = false;
    for (let l = 0; l < L; l++) {
      if (!active[l]) continue;
      const loss = losses[l]!;
      if (!Number.isFinite(loss)) throw new GlassboxError('numerical', `the loss of layer "${evaluator.graph.layers[l]}" became ${loss} at step ${step + 1}; check s (a normaliser of zero?) and scale`);
      const outcome = outcomes[l]!;
      if (step === 0) outcome.first = loss;
      if (loss < outcome.best) {
        outcome.best = loss;
        outcome.r.set(rows[l]!);
      }
      let stop = plateaus[l]!.push(loss, rows[l]!);
      windowDone ||= (step + 1) % plateaus[l]!.window === 0;
      outcome.steps = step + 1;
      if (stop && !settling[l]) {
        settling[l] = true;
        rates[l] = settings.lr;
        plateaus[l]!.restart();
        stop = false;
      }
      if (stop) {
        active[l] = false;
        outcome.stopped = 'plateau';
      } else {
        adam.step(r, gradient, l, rates[l]!);
      }
    }
    const running = active.filter(Boolean).length;
    if (windowDone) settings.onWindow?.(step + 1, plateaus.map((p) => p.windows[p.windows.length - 1] ?? NaN), running);
    if (running === 0) break;
  }
  outcomes.forEach((outcome, l) => {
    const plateau = plateaus[l]!;
    const kept = plateau.settledR ?? plateau.bestR;
    if (kept) {
      outcome.r = kept;
      outcome.best = Math.min(...plateau.windows);
    }
  });
  return outcomes;
}

