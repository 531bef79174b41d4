/**
 * The surrogate models of Lime and KernelShap, as Captum trains them through scikit-learn:
 * Lime's default SkLearnLasso(alpha=0.01) is sklearn.linear_model.Lasso, KernelShap's
 * SkLearnLinearRegression is sklearn.linear_model.LinearRegression, both fitted with
 * fit_intercept=True and the similarities as sample_weight. Both are re-implemented here
 * step for step (sklearn 1.2), in float64 where Captum hands sklearn float32 arrays.
 */

export interface LinearFit {
  coef: Float64Array;
  intercept: number;
}

/** Samples: n rows of m features, row-major. */
export interface Design {
  x: Float64Array;
  n: number;
  m: number;
}

/**
 * sklearn's weighted centring (_preprocess_data, then _rescale_data): subtract the weighted
 * means of X's columns and of y, then scale each sample by √w. Least squares on the result is
 * weighted least squares with an intercept.
 */
function centre({ x, n, m }: Design, y: ArrayLike<number>, w: ArrayLike<number>): { xc: Float64Array; yc: Float64Array; xOffset: Float64Array; yOffset: number } {
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += w[i]!;
  const xOffset = new Float64Array(m);
  let yOffset = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) xOffset[j] += w[i]! * x[i * m + j]!;
    yOffset += w[i]! * y[i]!;
  }
  for (let j = 0; j < m; j++) xOffset[j] /= wSum;
  yOffset /= wSum;
  const xc = new Float64Array(n * m);
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(w[i]!);
    for (let j = 0; j < m; j++) xc[i * m + j] = (x[i * m + j]! - xOffset[j]!) * s;
    yc[i] = (y[i]! - yOffset) * s;
  }
  return { xc, yc, xOffset, yOffset };
}

function withIntercept(coef: Float64Array, xOffset: Float64Array, yOffset: number): LinearFit {
  let intercept = yOffset;
  coef.forEach((c, j) => { intercept -= c * xOffset[j]!; });
  return { coef, intercept };
}

/**
 * sklearn.linear_model.Lasso(alpha).fit(X, y, sample_weight=w): minimises
 * Σ wᵢ (yᵢ − b − xᵢ·β)² / (2 Σ wᵢ) + α‖β‖₁. As sklearn does: weights rescaled to sum to n,
 * weighted centring, then cyclic coordinate descent from β = 0 (cd_fast.enet_coordinate_descent)
 * with its stopping rule — after a sweep whose largest update is below tol × the largest
 * coefficient, stop if the duality gap is below tol · ‖y‖² — and at most maxIter sweeps.
 */
export function fitLasso(design: Design, y: ArrayLike<number>, w: ArrayLike<number>, alpha: number, options: { tol?: number; maxIter?: number } = {}): LinearFit {
  const { n, m } = design;
  const tolerance = options.tol ?? 1e-4;
  const maxIter = options.maxIter ?? 1000;
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += w[i]!;
  const weights = Float64Array.from({ length: n }, (_, i) => (w[i]! * n) / wSum);
  const { xc, yc, xOffset, yOffset } = centre(design, y, weights);
  const l1 = alpha * n;
  const beta = new Float64Array(m);
  const column = (j: number): Float64Array => Float64Array.from({ length: n }, (_, i) => xc[i * m + j]!);
  const columns = Array.from({ length: m }, (_, j) => column(j));
  const norms = columns.map((c) => dot(c, c));
  const residual = Float64Array.from(yc);
  const tol = tolerance * dot(yc, yc);
  for (let iter = 0; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < m; j++) {
      if (norms[j] === 0) continue;
      const c = columns[j]!;
      const old = beta[j]!;
      if (old !== 0) for (let i = 0; i < n; i++) residual[i] += old * c[i]!;
      const t = dot(c, residual);
      beta[j] = (Math.sign(t) * Math.max(Math.abs(t) - l1, 0)) / norms[j]!;
      if (beta[j] !== 0) for (let i = 0; i < n; i++) residual[i] -= beta[j]! * c[i]!;
      dwMax = Math.max(dwMax, Math.abs(beta[j]! - old));
      wMax = Math.max(wMax, Math.abs(beta[j]!));
    }
    if (wMax === 0 || dwMax / wMax < tolerance || iter === maxIter - 1) {
      if (dualityGap(columns, residual, yc, beta, l1) < tol) break;
    }
  }
  return withIntercept(beta, xOffset, yOffset);
}

/** The Lasso duality gap as cd_fast computes it (l2 penalty 0). */
function dualityGap(columns: Float64Array[], residual: Float64Array, y: Float64Array, beta: Float64Array, l1: number): number {
  let dualNorm = 0;
  for (const c of columns) dualNorm = Math.max(dualNorm, Math.abs(dot(c, residual)));
  const rNorm2 = dot(residual, residual);
  let gap: number;
  let constant: number;
  if (dualNorm > l1) {
    constant = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * constant * constant);
  } else {
    constant = 1;
    gap = rNorm2;
  }
  let l1Norm = 0;
  for (const b of beta) l1Norm += Math.abs(b);
  return gap + l1 * l1Norm - constant * dot(residual, y);
}

/**
 * sklearn.linear_model.LinearRegression().fit(X, y, sample_weight=w): weighted centring, then
 * the minimum-norm least-squares solution (scipy.linalg.lstsq), here from a singular value
 * decomposition; singular values below max(n, m) · ε · the largest count as zero.
 */
export function fitLinearRegression(design: Design, y: ArrayLike<number>, w: ArrayLike<number>): LinearFit {
  const { n, m } = design;
  const { xc, yc, xOffset, yOffset } = centre(design, y, w);
  return withIntercept(minNormLeastSquares(xc, n, m, yc), xOffset, yOffset);
}

/**
 * argmin ‖β‖ among the minimisers of ‖Aβ − b‖ for A (n × m, row-major), by one-sided Jacobi
 * (Hestenes) SVD: rotate column pairs of A until they are orthogonal, accumulating V; then
 * A = U·S·Vᵀ with U·S the rotated columns, and β = Σⱼ (uⱼ·b / sⱼ) vⱼ over the kept sⱼ. The
 * decomposition works on the side with fewer columns (Aᵀ = V·S·Uᵀ when n < m).
 */
export function minNormLeastSquares(a: Float64Array, n: number, m: number, b: Float64Array): Float64Array {
  const wide = n < m;
  const [rows, cols] = wide ? [m, n] : [n, m];
  // Columns of the matrix being orthogonalised (A's columns, or Aᵀ's = A's rows).
  const cs = Array.from({ length: cols }, (_, j) => Float64Array.from({ length: rows }, (_, i) => (wide ? a[j * m + i]! : a[i * m + j]!)));
  const vs = Array.from({ length: cols }, (_, j) => { const v = new Float64Array(cols); v[j] = 1; return v; });
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        const [cp, cq] = [cs[p]!, cs[q]!];
        const alpha = dot(cp, cp);
        const beta = dot(cq, cq);
        const gamma = dot(cp, cq);
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(cp, cq, c, s);
        rotate(vs[p]!, vs[q]!, c, s);
      }
    }
    if (!rotated) break;
  }
  const sigma = cs.map((c) => Math.sqrt(dot(c, c)));
  const cutoff = Math.max(n, m) * Number.EPSILON * Math.max(0, ...sigma);
  const out = new Float64Array(m);
  for (let j = 0; j < cols; j++) {
    const s = sigma[j]!;
    if (s <= cutoff || s === 0) continue;
    if (wide) {
      // A = Vw·S·Uwᵀ where Uw = rotated columns / s (m-dim), Vw = vs (n-dim): β = Σ (vⱼ·b / s) uⱼ.
      const k = dot(vs[j]!, b) / (s * s);
      for (let i = 0; i < m; i++) out[i] += k * cs[j]![i]!;
    } else {
      const k = dot(cs[j]!, b) / (s * s);
      for (let i = 0; i < m; i++) out[i] += k * vs[j]![i]!;
    }
  }
  return out;
}

function rotate(x: Float64Array, y: Float64Array, c: number, s: number): void {
  for (let i = 0; i < x.length; i++) {
    const [a, b] = [x[i]!, y[i]!];
    x[i] = c * a - s * b;
    y[i] = s * a + c * b;
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
