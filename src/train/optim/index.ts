import { GlassboxError } from '../../util/errors.js';
import { Adam } from './adam.js';
import { Sgd } from './sgd.js';
import type { Optimizer, OptimizerConfig } from './types.js';

export type { Optimizer, OptimizerConfig } from './types.js';
export { Adam } from './adam.js';
export { Sgd } from './sgd.js';
export { clipGradients, type ClipConfig } from './clip.js';
export { learningRate, type ScheduleConfig } from './schedule.js';

export function createOptimizer(config: OptimizerConfig): Optimizer {
  if (!(config.lr > 0)) throw new GlassboxError('bad-option', `the learning rate must be positive, got ${config.lr}`);
  switch (config.type) {
    case 'sgd': return new Sgd(config);
    case 'adam': case 'adamw': return new Adam(config);
    default: throw new GlassboxError('bad-option', `unknown optimizer "${(config as { type: string }).type}" (use sgd, adam or adamw)`);
  }
}
