import { GlassboxError } from '../../util/errors.js';

export type IntegrationMethod = 'riemann_left' | 'riemann_right' | 'riemann_middle' | 'riemann_trapezoid' | 'gausslegendre';

export const INTEGRATION_METHODS: readonly IntegrationMethod[] = ['riemann_left', 'riemann_right', 'riemann_middle', 'riemann_trapezoid', 'gausslegendre'];

/**
 * Points α ∈ [0, 1] and weights for ∫₀¹ f(α) dα ≈ Σ w_k f(α_k), exactly as Captum's
 * approximation_parameters defines them (so attributions agree number for number): Riemann
 * sums with n points of weight 1/n — left, right, middle — and the trapezoid with α evenly from 0
 * to 1 and the two end weights halved (Captum keeps Δ = 1/n, so these weights sum to (n − 1)/n);
 * or n-point Gauss–Legendre mapped from [−1, 1] to [0, 1].
 */
export function quadrature(method: IntegrationMethod, n: number): { alphas: number[]; weights: number[] } {
  if (!Number.isInteger(n) || n < 1) throw new GlassboxError('bad-option', `the number of steps must be a positive integer, got ${n}`);
  switch (method) {
    case 'riemann_left': return { alphas: range(n, (k) => k / n), weights: range(n, () => 1 / n) };
    case 'riemann_right': return { alphas: range(n, (k) => (k + 1) / n), weights: range(n, () => 1 / n) };
    case 'riemann_middle': return { alphas: range(n, (k) => (k + 0.5) / n), weights: range(n, () => 1 / n) };
    case 'riemann_trapezoid':
      if (n < 2) throw new GlassboxError('bad-option', 'the trapezoid rule needs at least 2 steps');
      return {
        alphas: range(n, (k) => k / (n - 1)),
        weights: range(n, (k) => (k === 0 || k === n - 1 ? 0.5 : 1) / n),
      };
    case 'gausslegendre': {
      const { nodes, weights } = gaussLegendre(n);
      return { alphas: nodes.map((x) => (x + 1) / 2), weights: weights.map((w) => w / 2) };
    }
    default:
      throw new GlassboxError('bad-option', `unknown integration method "${method as string}" (use ${INTEGRATION_METHODS.join(', ')})`);
  }
}

function range(n: number, f: (k: number) => number): number[] {
  return Array.from({ length: n }, (_, k) => f(k));
}

/** Gauss–Legendre nodes (ascending) and weights on [−1, 1], by Newton's method on P_n. */
function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes = new Array<number>(n);
  const weights = new Array<number>(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      const p = n === 1 ? x : p1;
      const prev = n === 1 ? 1 : p0;
      dp = (n * (x * p - prev)) / (x * x - 1);
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-15) break;
    }
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  return { nodes, weights };
}
