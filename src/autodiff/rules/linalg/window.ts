/**
 * Shared machinery of the convolution and pooling rules: the geometry of a sliding window
 * (onnxruntime's arithmetic for pads, auto_pad and output sizes), shape tensors that stay right
 * when batch or spatial dims are symbolic, and the two adjoint building blocks:
 *
 * - scatterWindows: the adjoint of "read x through windows" (Conv's input gradient, pooling's
 *   gradient with a ones kernel): a ConvTranspose of dy, cropped or zero-extended to x's extent;
 * - windowWeightGrad: the gradient of a convolution's kernel, Σ_n Σ_o dy[n,m,o] · xpad[n,c,o·s+k·d],
 *   computed as one Conv with batch and channel roles swapped (strides ↔ dilations), groups
 *   included.
 *
 * Everything static is folded into attributes and constants; what depends on symbolic dims is
 * computed from Shape() at run time, never from a probed number.
 */
import { GlassboxError } from '../../../util/errors.js';
import { Tensor } from '../../../tensor/tensor.js';
import { tensorToProto } from '../../../onnx/ir/tensor-proto.js';
import type { Dim } from '../../../onnx/ir/value.js';
import type { GradContext } from '../../types.js';

/** One spatial axis of a sliding window. */
export interface Axis {
  /**
   * Stride, dilation, kernel size and dilated kernel extent d·(k−1)+1; k and dk are null for a
   * symbolic kernel (a Conv whose weight is computed, as in second-order graphs).
   */
  s: number;
  d: number;
  k: number | null;
  dk: number | null;
  /** The input's size along the axis (a number, a symbol, or null). */
  size: Dim;
  /** Pads at the start and end; null when auto_pad SAME makes them depend on a symbolic size. */
  pb: number | null;
  pe: number | null;
  /**
   * P − F where P = size + pb + pe is the padded extent and F = (O − 1)·s + dk the extent the
   * windows cover: (P − dk) mod s trailing positions no window reaches, or minus the overhang of
   * a ceil_mode window past the end padding. null when it depends on a symbolic size.
   */
  rem: number | null;
  /** Whether rem may be negative (ceil_mode with stride > 1). */
  overhang: boolean;
}

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

export const unsupported = (g: GradContext, why: string): GlassboxError =>
  new GlassboxError('unsupported-op', `cannot differentiate ${g.node.describe()}: ${why}`);

export function autoPadOf(g: GradContext): AutoPad {
  const a = g.node.string('auto_pad', 'NOTSET');
  if (a !== 'NOTSET' && a !== 'SAME_UPPER' && a !== 'SAME_LOWER' && a !== 'VALID') throw unsupported(g, `unknown auto_pad "${a}"`);
  return a;
}

/** A static dim, or a refusal naming what had to be known. */
export function staticDim(g: GradContext, d: Dim | undefined, what: string): number {
  if (typeof d !== 'number') throw unsupported(g, `${what} must be static (it is ${d === null || d === undefined ? 'unknown' : `"${d}"`})`);
  return d;
}

/**
 * The window geometry of a Conv or pooling node over input `x` with the given kernel, following
 * onnxruntime: SAME pads total max(0, (ceil(S/s)−1)·s + dk − S), split with the extra one at the
 * end (SAME_UPPER) or the start (SAME_LOWER).
 */
export function windowAxes(g: GradContext, x: string, kernel: readonly (number | null)[], ceilMode = false): Axis[] {
  const n = kernel.length;
  const spatial = g.shape(x).slice(2);
  if (spatial.length !== n) throw unsupported(g, `the kernel has ${n} spatial dims but the input has ${spatial.length}`);
  const ones = new Array<number>(n).fill(1);
  const strides = g.node.ints('strides', ones);
  const dilations = g.node.ints('dilations', ones);
  const pads = g.node.ints('pads', new Array<number>(2 * n).fill(0));
  const auto = autoPadOf(g);
  // ceil_mode changes nothing under SAME (the output size is ceil(S / s) either way).
  const ceil = ceilMode && (auto === 'NOTSET' || auto === 'VALID');
  return kernel.map((k, i) => {
    const s = strides[i]!;
    const d = dilations[i]!;
    const dk = k === null ? null : d * (k - 1) + 1;
    const size = spatial[i]!;
    let pb: number | null;
    let pe: number | null;
    if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
      if (dk === null) throw unsupported(g, 'auto_pad SAME needs static kernel dims');
      // For s = 1 the total dk − 1 does not depend on the size.
      const S = typeof size === 'number' ? size : s === 1 ? 0 : null;
      if (S === null) {
        pb = null;
        pe = null;
      } else {
        const total = s === 1 ? dk - 1 : Math.max(0, (Math.ceil(S / s) - 1) * s + dk - S);
        pb = auto === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
        pe = total - pb;
      }
    } else if (auto === 'VALID') {
      pb = 0;
      pe = 0;
    } else {
      pb = pads[i]!;
      pe = pads[i + n]!;
    }
    let rem: number | null = null;
    if (s === 1) rem = 0;
    else if (typeof size === 'number' && pb !== null && pe !== null && dk !== null) {
      const span = size + pb + pe - dk;
      rem = span % s;
      if (ceil && rem > 0) {
        // The extra window of ceil_mode exists unless it would start inside the end padding.
        const out = Math.ceil(span / s) + 1;
        if ((out - 1) * s < size + pb) rem -= s;
      }
    }
    return { s, d, k, dk, size, pb, pe, rem, overhang: ceil && s > 1 };
  });
}

/**
 * The window geometry of AveragePool/LpPool. onnxruntime pads SAME pooling as if the kernel were
 * not dilated (its output then differs from the ONNX definition), so that combination is refused
 * rather than guessed.
 */
export function poolAxes(g: GradContext, x: string): Axis[] {
  const axes = windowAxes(g, x, g.node.ints('kernel_shape'), g.node.int('ceil_mode', 0) !== 0);
  if (autoPadOf(g).startsWith('SAME') && axes.some((a) => a.d > 1)) {
    throw unsupported(g, 'auto_pad SAME with dilations > 1 (onnxruntime pads it as if undilated, not as ONNX defines)');
  }
  return axes;
}

export const staticPads = (axes: readonly Axis[]): boolean => axes.every((a) => a.pb !== null && a.pe !== null);

/** Spatial dims of `x` as a 1-D int64 tensor (a constant when all are static). */
export function spatialShape(g: GradContext, x: string): string {
  const dims = g.shape(x).slice(2);
  if (dims.every((d) => typeof d === 'number')) return g.ints(dims as number[]);
  return g.op('Slice', [g.shapeOf(x), g.ints([2]), g.ints([2 + dims.length])]);
}

/** Runtime pads of auto_pad SAME when a spatial size is symbolic: [begins], [ends] (1-D int64). */
export function runtimeSamePads(g: GradContext, x: string, axes: readonly Axis[]): { begin: string; end: string } {
  const size = spatialShape(g, x);
  const s = g.ints(axes.map((a) => a.s));
  const out = g.op('Div', [g.op('Add', [size, g.ints(axes.map((a) => a.s - 1))]), s]);
  const span = g.op('Sub', [g.op('Add', [g.op('Mul', [g.op('Sub', [out, g.ints([1])]), s]), g.ints(axes.map((a) => a.dk!))]), size]);
  const total = g.op('Max', [span, g.ints([0])]);
  const half = g.op('Div', [total, g.ints([2])]);
  const begin = autoPadOf(g) === 'SAME_UPPER' ? half : g.op('Sub', [total, half]);
  return { begin, end: g.op('Sub', [total, begin]) };
}

/**
 * A shape tensor for Reshape. Entries: a number, -1 (infer), or [value, axis] (that dim of
 * that value, read at run time unless static). At most one unknown entry becomes -1; more are
 * gathered from Shape().
 */
export function shapeTensor(g: GradContext, entries: readonly (number | readonly [string, number])[]): string {
  const resolved = entries.map((e) => {
    if (typeof e === 'number') return e;
    const d = g.shape(e[0])[e[1]];
    return typeof d === 'number' ? d : e;
  });
  const dynamic = resolved.filter((e) => typeof e !== 'number');
  const inferred = resolved.filter((e) => e === -1).length;
  if (dynamic.length + inferred <= 1) return g.ints(resolved.map((e) => (typeof e === 'number' ? e : -1)));
  const parts: string[] = [];
  let run: number[] = [];
  for (const e of resolved) {
    if (typeof e === 'number') {
      run.push(e);
      continue;
    }
    if (run.length) parts.push(g.ints(run));
    run = [];
    parts.push(g.op('Slice', [g.shapeOf(e[0]), g.ints([e[1]]), g.ints([e[1] + 1])]));
  }
  if (run.length) parts.push(g.ints(run));
  return g.op('Concat', parts, { axis: 0 });
}

const iota = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Pads the spatial axes (2..) of an [N, C, *S] tensor by 1-D int64 begins/ends. The pads are
 * spelled out for every axis: onnxruntime 1.30's transpose optimizer mishandles Pad's `axes`
 * input (it permutes the pads as if they covered every axis).
 */
export function padSpatial(g: GradContext, x: string, begin: string, end: string, value?: string): string {
  const pads = g.op('Concat', [g.ints([0, 0]), begin, g.ints([0, 0]), end], { axis: 0 });
  return g.op('Pad', value ? [x, pads, value] : [x, pads]);
}

/** Transpose swapping the first two axes. */
export function swap01(g: GradContext, x: string, rank: number): string {
  return g.op('Transpose', [x], { perm: [1, 0, ...iota(2, rank)] });
}

/**
 * The adjoint of reading `like` (shape [N, C, *S]) through the windows of `axes`: for each output
 * position o and tap k, dx[.., o·s + k·d − pb] += Σ dy[n, m, o] · w[m, c, k] (ConvTranspose with
 * weight `w` [M, C/group, *K]). Taps landing in the padding are dropped, and input positions that
 * no window reached (the trailing remainder of a strided window) get zero: static axes fold both
 * into ConvTranspose's pads and output_padding; symbolic ones are cropped or zero-extended to
 * Shape(like) at run time.
 */
export function scatterWindows(g: GradContext, dy: string, w: string, like: string, axes: readonly Axis[], group: number): string {
  const n = axes.length;
  const attrs = { strides: axes.map((a) => a.s), dilations: axes.map((a) => a.d), group };
  if (!staticPads(axes)) {
    // auto_pad SAME over a symbolic size: the uncropped result covers padded positions
    // [0, (O−1)·s + dk); x occupies [pb, pb + S) of them.
    const full = g.op('ConvTranspose', [dy, w], attrs);
    const { begin } = runtimeSamePads(g, like, axes);
    const size = spatialShape(g, like);
    const stop = g.op('Add', [begin, size]);
    const lack = g.op('Max', [g.op('Sub', [stop, g.op('Slice', [g.op('Shape', [full]), g.ints([2]), g.ints([2 + n])])]), g.ints([0])]);
    const padded = padSpatial(g, full, g.ints(new Array<number>(n).fill(0)), lack);
    return g.op('Slice', [padded, begin, stop, g.ints(iota(2, 2 + n))]);
  }
  const begins: number[] = [];
  const ends: number[] = [];
  const outputPadding: number[] = [];
  const fix: number[] = [];
  axes.forEach((a, i) => {
    begins.push(a.pb!);
    if (a.rem !== null) {
      // The uncropped result ends at (O−1)·s + dk = S + pb + pe − rem: crop pe − rem at the end,
      // or zero-extend by rem − pe (always < s) when the end padding was not reached.
      const e = a.pe! - a.rem;
      ends.push(Math.max(0, e));
      outputPadding.push(Math.max(0, -e));
    } else {
      ends.push(0);
      outputPadding.push(0);
      fix.push(i);
    }
  });
  const ct = g.op('ConvTranspose', [dy, w], {
    ...attrs,
    pads: [...begins, ...ends],
    ...(outputPadding.some((p) => p > 0) ? { output_padding: outputPadding } : {}),
  });
  if (fix.length === 0) return ct;
  // Symbolic sizes: the result spans S + pe − rem positions; fix it to Shape(like) at run time
  // (over all spatial axes: the static ones already match, so they pad and crop nothing).
  const want = spatialShape(g, like);
  let out = ct;
  // Short by rem − pe ≤ s − 1 − pe positions: zero-extend unless that can never be positive.
  if (fix.some((i) => axes[i]!.s - 1 - axes[i]!.pe! > 0)) {
    const have = g.op('Slice', [g.op('Shape', [ct]), g.ints([2]), g.ints([2 + n])]);
    const lack = g.op('Max', [g.op('Sub', [want, have]), g.ints([0])]);
    out = padSpatial(g, out, g.ints(new Array<number>(n).fill(0)), lack);
  }
  // Long by pe − rem positions: crop unless that can never be positive (pe = 0, no overhang).
  if (fix.some((i) => axes[i]!.pe! > 0 || axes[i]!.overhang)) {
    out = g.op('Slice', [out, g.ints(new Array<number>(n).fill(0)), want, g.ints(iota(2, 2 + n))]);
  }
  return out;
}

export interface WeightGradSpec {
  /** The convolution's input [N, C, *S] and the gradient of its output [N, M, *O]. */
  input: string;
  dy: string;
  /** A forward value shaped like `input` (shape facts exist only for forward values). */
  inputLike: string;
  group: number;
  /** C / group: a number, or where to read it at run time. */
  cg: number | readonly [string, number];
  /** Kernel dims (null: symbolic) and a forward value whose dims 2.. are the kernel (the weight). */
  kernel: readonly (number | null)[];
  kernelOf: string;
  strides: readonly number[];
  dilations: readonly number[];
  /** Static pads [begins..., ends...], or runtime 1-D int64 begins/ends (input padded first). */
  pads: readonly number[] | { begin: string; end: string };
  /** Per axis: how many extra kernel positions the swapped Conv yields (null: unknown). */
  extra: readonly (number | null)[];
}

/**
 * dW[m, c, k] = Σ_n Σ_o dy[n, m, o] · xpad[n, g(m)·Cg + c, o·s + k·d]: a Conv of the input
 * arranged as [Cg, G·N, *S] (batch ← channel within group, channels ← (group, sample)) with the
 * output gradient arranged as a kernel [M, N, *O], group G, strides ← dilations and
 * dilations ← strides. The result [Cg, M, *K'] is cut to K and transposed to [M, Cg, *K].
 */
export function windowWeightGrad(g: GradContext, spec: WeightGradSpec): string {
  const n = spec.kernel.length;
  const rank = n + 2;
  const G = spec.group;
  const x = spec.input;
  const like = spec.inputLike;
  const spatial = iota(2, rank).map((a) => [like, a] as const);
  let xt: string;
  if (G === 1) xt = swap01(g, x, rank);
  else if (spec.cg === 1) {
    // Depthwise: [N, C, *S] → [C, N, *S] → [1, C·N, *S].
    xt = g.op('Reshape', [swap01(g, x, rank), shapeTensor(g, [1, -1, ...spatial])]);
  } else {
    const split = g.op('Reshape', [x, shapeTensor(g, [[like, 0], G, spec.cg, ...spatial])]);
    const moved = g.op('Transpose', [split], { perm: [2, 1, 0, ...iota(3, rank + 1)] });
    xt = g.op('Reshape', [moved, shapeTensor(g, [spec.cg, -1, ...spatial])]);
  }
  if (!Array.isArray(spec.pads)) {
    // Runtime pads (the spatial axes are 2.. in either layout).
    const p = spec.pads as { begin: string; end: string };
    xt = padSpatial(g, xt, p.begin, p.end);
  }
  const kernel = swap01(g, spec.dy, rank);
  const pads = Array.isArray(spec.pads) ? (spec.pads as number[]) : new Array<number>(2 * n).fill(0);
  let r = g.op('Conv', [xt, kernel], {
    strides: [...spec.dilations],
    dilations: [...spec.strides],
    group: G,
    ...(pads.some((p) => p !== 0) ? { pads: [...pads] } : {}),
  });
  const cut = iota(0, n).filter((i) => spec.extra[i] !== 0);
  if (cut.length > 0) {
    const ends = cut.every((i) => spec.kernel[i] !== null)
      ? g.ints(cut.map((i) => spec.kernel[i]!))
      : g.op('Gather', [g.shapeOf(spec.kernelOf), g.ints(cut.map((i) => i + 2))], { axis: 0 });
    r = g.op('Slice', [r, g.ints(cut.map(() => 0)), ends, g.ints(cut.map((i) => i + 2))]);
  }
  return swap01(g, r, rank);
}

/** Sums a [N, C, *S] gradient over every axis but the channels (a bias gradient). */
export function biasGrad(g: GradContext, dy: string, rank: number): string {
  return g.op('ReduceSum', [dy, g.ints([0, ...iota(2, rank)])], { keepdims: 0 });
}

/**
 * The adjoint of summing x over each pooling window: every window's value z[n, c, o] added to
 * the in-bounds positions it read (a depthwise ConvTranspose with a ones kernel).
 */
export function scatterPool(g: GradContext, z: string, x: string, axes: readonly Axis[]): string {
  const channels = staticDim(g, g.shape(x)[1], 'the channel dim');
  const kernel = axes.map((a) => a.k!);
  const ones = g.constant(onesTensor(g.dtype(x), [channels, 1, ...kernel]), 'pool_kernel');
  return scatterWindows(g, z, ones, x, axes, channels);
}

function onesTensor(dtype: ReturnType<GradContext['dtype']>, shape: number[]): Tensor {
  const t = Tensor.zeros(dtype, shape);
  (t.data as Float32Array).fill(1);
  return t;
}

/**
 * Per-window tap counts [1, 1, *O] of a pooling node over x: taps inside x (include = false) or
 * inside the padded extent [−pb, S + pe) (include = true), by convolving a ones tensor, so that
 * symbolic sizes, SAME pads and ceil_mode's overhanging windows all come out exact.
 */
export function windowCounts(g: GradContext, x: string, y: string, axes: readonly Axis[], include: boolean): string {
  const n = axes.length;
  const dtype = g.dtype(x);
  const one = tensorProtoOf(dtype, 1);
  const spatial = g.shape(x).slice(2);
  const shape = spatial.every((d) => typeof d === 'number')
    ? g.ints([1, 1, ...(spatial as number[])])
    : g.op('Concat', [g.ints([1, 1]), spatialShape(g, x)], { axis: 0 });
  let field = g.op('ConstantOfShape', [shape], { value: one });
  // Conv pads are zeros; count_include_pad needs padded positions to count, and runtime pads
  // need a Pad either way.
  let convPads: number[];
  if (include || !staticPads(axes)) {
    const p = staticPads(axes) ? { begin: g.ints(axes.map((a) => a.pb!)), end: g.ints(axes.map((a) => a.pe!)) } : runtimeSamePads(g, x, axes);
    field = padSpatial(g, field, p.begin, p.end, g.scalar(include ? 1 : 0, x));
    convPads = new Array<number>(2 * n).fill(0);
  } else {
    convPads = [...axes.map((a) => a.pb!), ...axes.map((a) => a.pe!)];
  }
  // A ceil_mode window overhanging the padded extent reads zeros there.
  const extra = axes.map((a) => (a.rem !== null ? Math.max(0, -a.rem) : a.overhang ? a.s - 1 : 0));
  extra.forEach((e, i) => (convPads[n + i] += e));
  const kernel = g.constant(onesTensor(dtype, [1, 1, ...axes.map((a) => a.k!)]), 'pool_kernel');
  let counts = g.op('Conv', [field, kernel], {
    strides: axes.map((a) => a.s),
    dilations: axes.map((a) => a.d),
    ...(convPads.some((p) => p > 0) ? { pads: convPads } : {}),
  });
  const loose = axes.map((a, i) => (a.rem === null && a.overhang ? i : -1)).filter((i) => i >= 0);
  if (loose.length > 0) {
    const axesList = loose.map((i) => i + 2);
    counts = g.op('Slice', [counts, g.ints(loose.map(() => 0)), g.op('Gather', [g.shapeOf(y), g.ints(axesList)], { axis: 0 }), g.ints(axesList)]);
  }
  return counts;
}

function tensorProtoOf(dtype: ReturnType<GradContext['dtype']>, value: number) {
  const t = Tensor.zeros(dtype, [1]);
  (t.data as Float32Array)[0] = value;
  return tensorToProto('', t);
}
