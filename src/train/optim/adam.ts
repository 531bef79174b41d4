import { Tensor } from '../../tensor/tensor.js';
import type { Optimizer, OptimizerConfig } from './types.js';

type AdamConfig = Extract<OptimizerConfig, { type: 'adam' | 'adamw' }>;

/**
 * torch.optim.Adam / AdamW. With t the step count, m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). Adam adds weight decay to the gradient
 * (g ← g + wd·p); AdamW decays the weights directly first (p ← p − lr·wd·p).
 */
export class Adam implements Optimizer {
  private readonly m = new Map<string, Float32Array>();
  private readonly v = new Map<string, Float32Array>();
  private t = 0;

  constructor(readonly config: AdamConfig) {}

  step(params: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>, lr: number): void {
    const [beta1, beta2] = this.config.betas ?? [0.9, 0.999];
    const eps = this.config.eps ?? 1e-8;
    // torch.optim.AdamW defaults to weight_decay 0.01, Adam to 0.
    const wd = this.config.weightDecay ?? (this.config.type === 'adamw' ? 0.01 : 0);
    const decoupled = this.config.type === 'adamw';
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (const [name, p] of params) {
      const g = grads.get(name)!;
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m || !v) {
        this.m.set(name, (m = new Float32Array(p.length)));
        this.v.set(name, (v = new Float32Array(p.length)));
      }
      for (let i = 0; i < p.length; i++) {
        if (decoupled) p[i] = p[i]! * (1 - lr * wd);
        const gi = decoupled ? g[i]! : g[i]! + wd * p[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        p[i] = p[i]! - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    }
  }

  state(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [name, m] of this.m) out.set(`exp_avg/${name}`, Tensor.float32([m.length], m));
    for (const [name, v] of this.v) out.set(`exp_avg_sq/${name}`, Tensor.float32([v.length], v));
    out.set('step', Tensor.float64([1], [this.t]));
    return out;
  }

  load(state: ReadonlyMap<string, Tensor>): void {
    this.m.clear();
    this.v.clear();
    for (const [key, t] of state) {
      if (key.startsWith('exp_avg/')) this.m.set(key.slice(8), Float32Array.from(t.data as Float32Array));
      else if (key.startsWith('exp_avg_sq/')) this.v.set(key.slice(11), Float32Array.from(t.data as Float32Array));
    }
    this.t = Number((state.get('step')?.data as Float64Array | undefined)?.[0] ?? 0);
  }
}
