/**
 * Helpers shared by the normalisation, softmax and reduction rules: axis arithmetic, element
 * counts (static when the shapes allow, computed at run time otherwise), casts, and the
 * standardisation x̂ = (x − mean)·rinv with its vector-Jacobian product.
 */
import { dtypeToOnnx, type DType } from '../../../tensor/dtype.js';
import type { Dim } from '../../../onnx/ir/value.js';
import type { GradContext } from '../../types.js';

export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** [from, from + 1, ..., to − 1]. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** The static shape of `name`, or undefined when shape inference did not record one. */
export function knownShape(g: GradContext, name: string): Dim[] | undefined {
  try {
    return g.shape(name);
  } catch {
    return undefined;
  }
}

/** `v` (of element type `from`) as element type `to`; no node when they agree. */
export function castTo(g: GradContext, v: string, from: DType, to: DType): string {
  return from === to ? v : g.op('Cast', [v], { to: dtypeToOnnx(to) });
}

/**
 * size(big) / size(small) as a scalar of `like`'s element type: a constant when the symbolic
 * dims cancel (e.g. ['batch', 3, 4] over ['batch', 1, 1] → 12), else Size(big) / Size(small)
 * computed at run time.
 */
export function sizeRatio(g: GradContext, big: string, small: string, like: string): string {
  const a = knownShape(g, big);
  const b = knownShape(g, small);
  const ratio = a && b ? staticRatio(a, b) : undefined;
  if (ratio !== undefined) return g.scalar(ratio, like);
  const sizes = g.op('Div', [g.op('Size', [big]), g.op('Size', [small])]);
  return g.op('Cast', [sizes], { to: dtypeToOnnx(g.dtype(like)) });
}

function staticRatio(a: Dim[], b: Dim[]): number | undefined {
  const symbols = (dims: Dim[]): string[] | undefined => {
    const out: string[] = [];
    for (const d of dims) {
      if (d === null) return undefined;
      if (typeof d === 'string') out.push(d);
    }
    return out.sort();
  };
  const sa = symbols(a);
  const sb = symbols(b);
  if (!sa || !sb || sa.join('\u0000') !== sb.join('\u0000')) return undefined;
  const product = (dims: Dim[]): number => dims.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
  return product(a) / product(b);
}

/**
 * The number of elements of `x` along `axes` as a scalar of `like`'s type: a constant when
 * those dims are static, else the product of Shape(x) gathered at `axes`.
 */
export function countAlong(g: GradContext, x: string, axes: readonly number[], like: string): string {
  const shape = g.shape(x);
  const dims = axes.map((a) => shape[a]);
  if (dims.every((d) => typeof d === 'number')) return g.scalar((dims as number[]).reduce((p, d) => p * d, 1), like);
  const picked = g.op('Gather', [g.shapeOf(x), g.ints(axes)], { axis: 0 });
  return g.op('Cast', [g.op('ReduceProd', [picked], { keepdims: 0 })], { to: dtypeToOnnx(g.dtype(like)) });
}

/**
 * Per-channel vector [C] reshaped to broadcast against [N, C, d1, ..., dk] (rank `rank`):
 * Unsqueeze at axes 1..k, nothing for rank 2.
 */
export function perChannel(g: GradContext, v: string, rank: number): string {
  return rank > 2 ? g.op('Unsqueeze', [v, g.ints(range(1, rank - 1))]) : v;
}

export interface Standardized {
  /** (x − mean)·rinv, shaped like x. */
  xhat: string;
  /** 1 / sqrt(var + epsilon), with the normalised axes kept as 1s. */
  rinv: string;
}

/**
 * Recomputes x̂ and rinv for statistics over the trailing axes [axis, rank) of `x` (population
 * variance, as every ONNX normalisation uses). float32 uses one fused LayerNormalization
 * (scale 1, its Y is x̂ and its InvStdDev is rinv); other types spell it out with ReduceMean,
 * because onnxruntime's LayerNormalization returns float32 statistics for double input.
 * `x` may be an emitted value without shape facts: its `rank` and `dtype` are passed in, and
 * `like` is any value of the same element type that has facts (for constants).
 */
export function standardize(g: GradContext, x: string, rank: number, dtype: DType, axis: number, epsilon: number, like: string): Standardized {
  if (dtype === 'float32') {
    const [xhat, , rinv] = g.ops('LayerNormalization', [x, g.scalar(1, like)], { axis, epsilon, stash_type: 1 }, 3) as [string, string, string];
    return { xhat, rinv };
  }
  const axes = g.ints(range(axis, rank));
  const mean = g.op('ReduceMean', [x, axes], { keepdims: 1 });
  const centred = g.op('Sub', [x, mean]);
  const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred]), axes], { keepdims: 1 });
  const rinv = g.op('Div', [g.scalar(1, like), g.op('Sqrt', [g.op('Add', [variance, g.scalar(epsilon, like)])])]);
  return { xhat: g.op('Mul', [centred, rinv]), rinv };
}

/**
 * The VJP of x̂ = (x − mean)·rinv over `axes` (an int64 axes value, statistics kept as 1s):
 * dx = rinv · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)).
 */
export function standardizeVjp(g: GradContext, dxhat: string, xhat: string, rinv: string, axes: string): string {
  const meanGrad = g.op('ReduceMean', [dxhat, axes], { keepdims: 1 });
  const meanProj = g.op('ReduceMean', [g.op('Mul', [dxhat, xhat]), axes], { keepdims: 1 });
  return g.op('Mul', [g.op('Sub', [g.op('Sub', [dxhat, meanGrad]), g.op('Mul', [xhat, meanProj])]), rinv]);
}
