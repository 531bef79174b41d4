/**
 * Independent float64 references for convolution and pooling, written as plain loops straight
 * from the definitions (ONNX spec / onnxruntime's arithmetic, PyTorch's conventions at ties).
 * Each returns the forward value and the exact vector-Jacobian product for a given dy, so the
 * float32 gradient graphs can be checked to float32 rounding rather than to finite-difference
 * accuracy.
 */

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

export interface Window {
  kernel: number[];
  strides?: number[];
  dilations?: number[];
  /** [begin_0..begin_n-1, end_0..end_n-1] (NOTSET only). */
  pads?: number[];
  autoPad?: AutoPad;
  ceilMode?: boolean;
}

export interface Resolved {
  kernel: number[];
  strides: number[];
  dilations: number[];
  begin: number[];
  end: number[];
  out: number[];
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Pads and output sizes of a sliding window (Conv and pooling), as onnxruntime computes them. */
export function resolveWindow(spatial: readonly number[], w: Window): Resolved {
  const n = spatial.length;
  const strides = w.strides ?? new Array<number>(n).fill(1);
  const dilations = w.dilations ?? new Array<number>(n).fill(1);
  const pads = w.pads ?? new Array<number>(2 * n).fill(0);
  const begin: number[] = [];
  const end: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const S = spatial[i]!;
    const s = strides[i]!;
    const dk = dilations[i]! * (w.kernel[i]! - 1) + 1;
    const auto = w.autoPad ?? 'NOTSET';
    if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
      const o = Math.ceil(S / s);
      const total = Math.max(0, (o - 1) * s + dk - S);
      const head = auto === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
      begin.push(head);
      end.push(total - head);
      out.push(o);
      continue;
    }
    const [pb, pe] = auto === 'VALID' ? [0, 0] : [pads[i]!, pads[i + n]!];
    begin.push(pb);
    end.push(pe);
    const span = S + pb + pe - dk;
    if (!w.ceilMode) out.push(Math.floor(span / s) + 1);
    else {
      let o = Math.ceil(span / s) + 1;
      if ((o - 1) * s >= S + pb) o--;
      out.push(o);
    }
  }
  return { kernel: w.kernel, strides, dilations, begin, end, out };
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) st[i] = st[i + 1]! * shape[i + 1]!;
  return st;
}

/** Every multi-index of `shape`, in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const total = prod(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < total; f++) {
    yield idx;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
}

export interface ConvResult {
  y: Float64Array;
  yShape: number[];
  dx: Float64Array;
  dw: Float64Array;
  db: Float64Array;
}

/** y[n,m,o] = b[m] + Σ_{c,k} x[n, g·Cg + c, o·s + k·d − pb] · w[m, c, k] and its exact VJP. */
export function conv(
  x: ArrayLike<number>, xShape: number[], w: ArrayLike<number>, wShape: number[], b: ArrayLike<number> | undefined,
  win: Omit<Window, 'kernel' | 'ceilMode'> & { group?: number }, dy?: ArrayLike<number>,
): ConvResult {
  const N = xShape[0]!;
  const S = xShape.slice(2);
  const [M, Cg] = wShape as [number, number];
  const K = wShape.slice(2);
  const G = win.group ?? 1;
  const Mg = M / G;
  const r = resolveWindow(S, { ...win, kernel: K });
  const O = r.out;
  const yShape = [N, M, ...O];
  const y = new Float64Array(prod(yShape));
  const dx = new Float64Array(prod(xShape));
  const dw = new Float64Array(prod(wShape));
  const db = new Float64Array(M);
  const xs = stridesOf(xShape);
  const ws = stridesOf(wShape);
  const ys = stridesOf(yShape);
  for (let n = 0; n < N; n++) {
    for (let m = 0; m < M; m++) {
      const grp = Math.floor(m / Mg);
      for (const o of indices(O)) {
        const yi = n * ys[0]! + m * ys[1]! + o.reduce((a, v, i) => a + v * ys[i + 2]!, 0);
        let acc = b ? b[m]! : 0;
        const g = dy ? dy[yi]! : 0;
        if (b) db[m] += g;
        for (let c = 0; c < Cg; c++) {
          for (const k of indices(K)) {
            let xi = n * xs[0]! + (grp * Cg + c) * xs[1]!;
            let inside = true;
            for (let a = 0; a < S.length; a++) {
              const p = o[a]! * r.strides[a]! + k[a]! * r.dilations[a]! - r.begin[a]!;
              if (p < 0 || p >= S[a]!) inside = false;
              xi += p * xs[a + 2]!;
            }
            if (!inside) continue;
            const wi = m * ws[0]! + c * ws[1]! + k.reduce((s, v, i) => s + v * ws[i + 2]!, 0);
            acc += x[xi]! * w[wi]!;
            dx[xi] += g * w[wi]!;
            dw[wi] += g * x[xi]!;
          }
        }
        y[yi] = acc;
      }
    }
  }
  return { y, yShape, dx, dw, db };
}

export interface ConvTransposeAttrs {
  strides?: number[];
  dilations?: number[];
  pads?: number[];
  outputPadding?: number[];
  outputShape?: number[];
  autoPad?: AutoPad;
  group?: number;
}

/** The pads and output size of ConvTranspose, as onnxruntime computes them. */
export function convTransposeGeometry(S: readonly number[], K: readonly number[], a: ConvTransposeAttrs): { begin: number[]; out: number[] } {
  const n = S.length;
  const strides = a.strides ?? new Array<number>(n).fill(1);
  const dil = a.dilations ?? new Array<number>(n).fill(1);
  const op = a.outputPadding ?? new Array<number>(n).fill(0);
  const pads = a.pads ?? new Array<number>(2 * n).fill(0);
  const begin: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const full = (S[i]! - 1) * strides[i]! + op[i]! + (K[i]! - 1) * dil[i]! + 1;
    const auto = a.autoPad ?? 'NOTSET';
    if (a.outputShape || auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
      // onnxruntime 1.30 (established by probing): with output_shape the total padding is
      // full − out (negative: zeros appended at the end); SAME clamps it at 0 and outputs
      // full − total (not always S·s). The larger half goes to the end for SAME_UPPER, to the
      // start otherwise.
      const total = a.outputShape ? full - a.outputShape[a.outputShape.length - n + i]! : Math.max(0, full - S[i]! * strides[i]!);
      const t = Math.max(0, total);
      begin.push(auto === 'SAME_UPPER' ? Math.floor(t / 2) : t - Math.floor(t / 2));
      out.push(full - total);
    } else {
      const [pb, pe] = auto === 'VALID' ? [0, 0] : [pads[i]!, pads[i + n]!];
      begin.push(pb);
      out.push(full - pb - pe);
    }
  }
  return { begin, out };
}

/** y[n, g·Cog + j, i·s + k·d − pb] += x[n, ci, i] · w[ci, j, k] and its exact VJP. */
export function convTranspose(
  x: ArrayLike<number>, xShape: number[], w: ArrayLike<number>, wShape: number[], b: ArrayLike<number> | undefined,
  a: ConvTransposeAttrs, dy?: ArrayLike<number>, geometry?: { begin: number[]; out: number[] },
): ConvResult {
  const [N, Ci] = xShape as [number, number];
  const S = xShape.slice(2);
  const Cog = wShape[1]!;
  const K = wShape.slice(2);
  const G = a.group ?? 1;
  const Cig = Ci / G;
  const Co = Cog * G;
  const strides = a.strides ?? new Array<number>(S.length).fill(1);
  const dil = a.dilations ?? new Array<number>(S.length).fill(1);
  const { begin, out: O } = geometry ?? convTransposeGeometry(S, K, a);
  const yShape = [N, Co, ...O];
  const y = new Float64Array(prod(yShape));
  const dx = new Float64Array(prod(xShape));
  const dw = new Float64Array(prod(wShape));
  const db = new Float64Array(Co);
  const xs = stridesOf(xShape);
  const ws = stridesOf(wShape);
  const ys = stridesOf(yShape);
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Co; co++) {
      for (const o of indices(O)) {
        const yi = n * ys[0]! + co * ys[1]! + o.reduce((s, v, i) => s + v * ys[i + 2]!, 0);
        if (b) {
          y[yi] += b[co]!;
          if (dy) db[co] += dy[yi]!;
        }
      }
    }
    for (let ci = 0; ci < Ci; ci++) {
      const grp = Math.floor(ci / Cig);
      for (const i of indices(S)) {
        const xi = n * xs[0]! + ci * xs[1]! + i.reduce((s, v, a2) => s + v * xs[a2 + 2]!, 0);
        for (let j = 0; j < Cog; j++) {
          const co = grp * Cog + j;
          for (const k of indices(K)) {
            let yi = n * ys[0]! + co * ys[1]!;
            let inside = true;
            for (let ax = 0; ax < S.length; ax++) {
              const p = i[ax]! * strides[ax]! + k[ax]! * dil[ax]! - begin[ax]!;
              if (p < 0 || p >= O[ax]!) inside = false;
              yi += p * ys[ax + 2]!;
            }
            if (!inside) continue;
            const wi = ci * ws[0]! + j * ws[1]! + k.reduce((s, v, a2) => s + v * ws[a2 + 2]!, 0);
            y[yi] += x[xi]! * w[wi]!;
            if (dy) {
              dx[xi] += dy[yi]! * w[wi]!;
              dw[wi] += dy[yi]! * x[xi]!;
            }
          }
        }
      }
    }
  }
  return { y, yShape, dx, dw, db };
}

export type PoolKind = 'max' | 'average' | 'lp';

export interface PoolAttrs extends Window {
  countIncludePad?: boolean;
  p?: number;
}

export interface PoolResult {
  y: Float64Array;
  yShape: number[];
  dx: Float64Array;
  /** MaxPool only: flat row-major indices into x. */
  indices?: number[];
}

/**
 * MaxPool (padding never wins; ties go to the first maximum in window order, as PyTorch and
 * onnxruntime do), AveragePool (divisor: in-bounds taps, or with count_include_pad the taps
 * inside the padded extent), LpPool ((Σ|x|^p)^(1/p) over in-bounds taps), and their VJPs.
 */
export function pool(kind: PoolKind, x: ArrayLike<number>, xShape: number[], a: PoolAttrs, dy?: ArrayLike<number>): PoolResult {
  const [N, C] = xShape as [number, number];
  const S = xShape.slice(2);
  const r = resolveWindow(S, a);
  const O = r.out;
  const yShape = [N, C, ...O];
  const y = new Float64Array(prod(yShape));
  const dx = new Float64Array(prod(xShape));
  const xs = stridesOf(xShape);
  const ys = stridesOf(yShape);
  const idxOut: number[] = [];
  const p = a.p ?? 2;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (const o of indices(O)) {
        const yi = n * ys[0]! + c * ys[1]! + o.reduce((s, v, i) => s + v * ys[i + 2]!, 0);
        const taps: number[] = [];
        let padded = 1;
        for (let ax = 0; ax < S.length; ax++) {
          // Taps of this axis inside the padded extent [−pb, S + pe).
          let count = 0;
          for (let k = 0; k < r.kernel[ax]!; k++) {
            const q = o[ax]! * r.strides[ax]! + k * r.dilations[ax]! - r.begin[ax]!;
            if (q >= -r.begin[ax]! && q < S[ax]! + r.end[ax]!) count++;
          }
          padded *= count;
        }
        for (const k of indices(r.kernel)) {
          let xi = n * xs[0]! + c * xs[1]!;
          let inside = true;
          for (let ax = 0; ax < S.length; ax++) {
            const q = o[ax]! * r.strides[ax]! + k[ax]! * r.dilations[ax]! - r.begin[ax]!;
            if (q < 0 || q >= S[ax]!) inside = false;
            xi += q * xs[ax + 2]!;
          }
          if (inside) taps.push(xi);
        }
        const g = dy ? dy[yi]! : 0;
        if (kind === 'max') {
          let best = taps[0]!;
          for (const t of taps) if (x[t]! > x[best]!) best = t;
          y[yi] = x[best]!;
          idxOut.push(best);
          dx[best] += g;
        } else if (kind === 'average') {
          const div = a.countIncludePad ? padded : taps.length;
          let s = 0;
          for (const t of taps) s += x[t]!;
          y[yi] = s / div;
          for (const t of taps) dx[t] += g / div;
        } else {
          let s = 0;
          for (const t of taps) s += Math.abs(x[t]!) ** p;
          const v = s ** (1 / p);
          y[yi] = v;
          if (v > 0) for (const t of taps) dx[t] += (g * Math.sign(x[t]!) * Math.abs(x[t]!) ** (p - 1)) / v ** (p - 1);
        }
      }
    }
  }
  return kind === 'max' ? { y, yShape, dx, indices: idxOut } : { y, yShape, dx };
}
