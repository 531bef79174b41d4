import { GlassboxError } from '../../util/errors.js';

export type ScheduleConfig =
  | { type: 'constant' }
  | { type: 'step'; every: number; gamma?: number }
  | { type: 'cosine'; min?: number };

/**
 * The learning rate at `step` (0-based) of `total`: the base rate shaped by the schedule, with an
 * optional linear warmup over the first `warmup` steps (rate · (step + 1) / warmup).
 * step: base · γ^⌊step / every⌋ (StepLR); cosine: min + (base − min)·(1 + cos(π·t/T))/2 over the
 * steps after warmup (CosineAnnealingLR to the end of training).
 */
export function learningRate(base: number, step: number, total: number, schedule: ScheduleConfig = { type: 'constant' }, warmup = 0): number {
  let lr: number;
  switch (schedule.type) {
    case 'constant':
      lr = base;
      break;
    case 'step':
      if (!(schedule.every >= 1)) throw new GlassboxError('bad-option', `a step schedule needs every >= 1, got ${schedule.every}`);
      lr = base * (schedule.gamma ?? 0.1) ** Math.floor(step / schedule.every);
      break;
    case 'cosine': {
      const span = Math.max(1, total - warmup);
      const t = Math.min(span, Math.max(0, step - warmup));
      const min = schedule.min ?? 0;
      lr = min + ((base - min) * (1 + Math.cos((Math.PI * t) / span))) / 2;
      break;
    }
    default:
      throw new GlassboxError('bad-option', `unknown schedule "${(schedule as { type: string }).type}" (use constant, step or cosine)`);
  }
  return warmup > 0 && step < warmup ? (lr * (step + 1)) / warmup : lr;
}
