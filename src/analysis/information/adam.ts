/**
 * Adam on the rows of r (one row per layer), with the update of torch.optim.Adam (as
 * src/train/optim/adam.ts, which this follows): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
 * r ← r − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). Here each row has its own rate and its
 * own step count t, because layers optimised in one batch slow down (plateau.ts) and stop at
 * different steps; the shared optimiser keeps one t for all its parameters.
 */
export class RowAdam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly t: Int32Array;

  constructor(rows: number, private readonly width: number, private readonly betas: [number, number], private readonly eps = 1e-8) {
    this.m = new Float64Array(rows * width);
    this.v = new Float64Array(rows * width);
    this.t = new Int32Array(rows);
  }

  /** One update of row `row` of `r` (flat [rows · width]) from the gradient (same layout). */
  step(r: Float32Array, gradient: Float32Array, row: number, lr: number): void {
    const [beta1, beta2] = this.betas;
    const t = ++this.t[row]!;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let i = row * this.width; i < (row + 1) * this.width; i++) {
      const g = gradient[i]!;
      this.m[i] = beta1 * this.m[i]! + (1 - beta1) * g;
      this.v[i] = beta2 * this.v[i]! + (1 - beta2) * g * g;
      r[i] = r[i]! - (lr * (this.m[i]! / c1)) / (Math.sqrt(this.v[i]! / c2) + this.eps);
    }
  }
}
