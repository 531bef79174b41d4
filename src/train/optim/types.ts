import type { Tensor } from '../../tensor/tensor.js';

export type OptimizerConfig =
  | { type: 'sgd'; lr: number; momentum?: number; nesterov?: boolean; dampening?: number; weightDecay?: number }
  | { type: 'adam' | 'adamw'; lr: number; betas?: [number, number]; eps?: number; weightDecay?: number };

/**
 * Updates parameters in place from their gradients, with PyTorch's semantics for each
 * optimizer, so that runs compare with PyTorch step for step.
 */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /** One update at learning rate `lr` (the schedule's value for this step). */
  step(params: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>, lr: number): void;
  /** Slots (momentum, moments) by `<slot>/<parameter>`, plus the step count, for checkpoints. */
  state(): Map<string, Tensor>;
  load(state: ReadonlyMap<string, Tensor>): void;
}
