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
      update(p, g, m, v, decoupled ? 1 - lr * wd : 1, decoupled ? 0 : wd, beta1, beta2, lr, c1, c2, eps);
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

/**
 * One parameter's update, kept in a small function of plain numbers and typed arrays so V8
 * compiles a tight loop (it ran 2.5× slower inline in step()). `decay` is AdamW's 1 − lr·wd
 * (1 for Adam), `coupled` Adam's wd (0 for AdamW), c1 and c2 the bias corrections. Each moment
 * and the decayed weight are rounded to float32, as the arrays that hold them between steps, and
 * every expression is the one before this was moved here: the same numbers, bit for bit.
 */
function update(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, decay: number, coupled: number, beta1: number, beta2: number, lr: number, c1: number, c2: number, eps: number): void {
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let i = 0; i < p.length; i++) {
    const pi = Math.fround(p[i]! * decay);
    const gi = g[i]! + coupled * pi;
    const mi = Math.fround(beta1 * m[i]! + keep1 * gi);
    const vi = Math.fround(beta2 * v[i]! + keep2 * gi * gi);
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}
