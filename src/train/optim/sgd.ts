import { Tensor } from '../../tensor/tensor.js';
import type { Optimizer, OptimizerConfig } from './types.js';

type SgdConfig = Extract<OptimizerConfig, { type: 'sgd' }>;

/**
 * torch.optim.SGD: g ← g + wd·p; b ← μ·b + (1 − dampening)·g (b = g on the first step);
 * update = g + μ·b with Nesterov, b otherwise (g without momentum); p ← p − lr·update.
 */
export class Sgd implements Optimizer {
  private readonly buffers = new Map<string, Float32Array>();

  constructor(readonly config: SgdConfig) {}

  step(params: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>, lr: number): void {
    const { momentum = 0, nesterov = false, dampening = 0, weightDecay = 0 } = this.config;
    for (const [name, p] of params) {
      const g = grads.get(name)!;
      let b = this.buffers.get(name);
      const first = !b && momentum !== 0;
      if (first) this.buffers.set(name, (b = new Float32Array(p.length)));
      for (let i = 0; i < p.length; i++) {
        let d = g[i]! + weightDecay * p[i]!;
        if (momentum !== 0) {
          const buf = first ? d : momentum * b![i]! + (1 - dampening) * d;
          b![i] = buf;
          d = nesterov ? d + momentum * buf : buf;
        }
        p[i] = p[i]! - lr * d;
      }
    }
  }

  state(): Map<string, Tensor> {
    return new Map([...this.buffers].map(([name, b]) => [`momentum/${name}`, Tensor.float32([b.length], b)]));
  }

  load(state: ReadonlyMap<string, Tensor>): void {
    this.buffers.clear();
    for (const [key, t] of state) if (key.startsWith('momentum/')) this.buffers.set(key.slice(9), Float32Array.from(t.data as Float32Array));
  }
}
