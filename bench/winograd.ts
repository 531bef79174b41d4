/**
 * Winograd F(m×m, r×r) convolution written as standard ONNX ops, an experiment for the conv
 * benchmark (bench/conv.ts): can a graph rewrite with fewer multiplications beat onnxruntime's
 * own Conv kernels on the MNIST CNN's second convolution? Not used by glassbox itself.
 *
 * Lavin & Gray (2016): y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A per output tile. A and G follow from the
 * interpolation points; Bᵀ is solved from the identity the three must satisfy.
 */
import { GradientSession } from '../src/engine/gradient-session.js';
import { prepareModel } from '../src/engine/prepare.js';
import { GraphBuilder } from '../src/onnx/builder.js';
import type { RuntimeOptions } from '../src/runtime/options.js';
import { Tensor } from '../src/tensor/tensor.js';

export interface WinogradMatrices {
  /** Aᵀ, m × n (n = m + r − 1). */
  AT: number[][];
  /** G, n × r. */
  G: number[][];
  /** Bᵀ, n × n. */
  BT: number[][];
}

/** The matrices for F(m, r) from n − 1 finite points (the n-th is ∞). */
export function winogradMatrices(m: number, r: number, points: readonly number[]): WinogradMatrices {
  const n = m + r - 1;
  if (points.length !== n - 1) throw new Error(`F(${m}, ${r}) needs ${n - 1} finite points`);
  if (new Set(points).size !== points.length) throw new Error('the interpolation points must be distinct');
  const AT = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => (j < n - 1 ? points[j]! ** i : Number(i === m - 1))));
  const scale = points.map((p, j) => points.reduce((acc, q, l) => (l === j ? acc : acc * (p - q)), 1));
  const G = Array.from({ length: n }, (_, j) => Array.from({ length: r }, (_, k) => (j < n - 1 ? points[j]! ** k / scale[j]! : Number(k === r - 1))));
  // Σ_j Aᵀ[i][j]·G[j][k]·Bᵀ[j][l] = [l = i + k] for every i, k, l: linear in the n² entries of
  // Bᵀ; m·r·n equations with an exact solution, found from the normal equations.
  const size = n * n;
  const normal = Array.from({ length: size }, () => new Array<number>(size + 1).fill(0));
  for (let i = 0; i < m; i++) for (let k = 0; k < r; k++) for (let l = 0; l < n; l++) {
    const row = Array.from({ length: n }, (_, j) => AT[i]![j]! * G[j]![k]!); // coefficient of Bᵀ[j][l]
    for (let a = 0; a < n; a++) {
      for (let c = 0; c < n; c++) normal[a * n + l]![c * n + l]! += row[a]! * row[c]!;
      normal[a * n + l]![size]! += row[a]! * Number(l === i + k);
    }
  }
  const solution = solve(normal);
  const BT = Array.from({ length: n }, (_, j) => solution.slice(j * n, j * n + n));
  return { AT, G, BT };
}

/** Gauss-Jordan elimination with partial pivoting on an augmented matrix [A | b]. */
function solve(augmented: number[][]): number[] {
  const size = augmented.length;
  for (let c = 0; c < size; c++) {
    let pivot = c;
    for (let q = c + 1; q < size; q++) if (Math.abs(augmented[q]![c]!) > Math.abs(augmented[pivot]![c]!)) pivot = q;
    [augmented[c], augmented[pivot]] = [augmented[pivot]!, augmented[c]!];
    const p = augmented[c]![c]!;
    if (Math.abs(p) < 1e-12) throw new Error('the interpolation points do not give a Winograd algorithm');
    for (let q = 0; q < size; q++) {
      const factor = augmented[q]![c]! / p;
      if (q === c || !factor) continue;
      for (let k = c; k <= size; k++) augmented[q]![k]! -= factor * augmented[c]![k]!;
    }
  }
  return augmented.map((row, c) => row[size]! / row[c]!);
}

/** max |Σ_j Aᵀ G Bᵀ − [l = i + k]|: zero when the matrices compute a correlation exactly. */
export function winogradResidual({ AT, G, BT }: WinogradMatrices): number {
  let worst = 0;
  for (let i = 0; i < AT.length; i++) for (let k = 0; k < G[0]!.length; k++) for (let l = 0; l < BT.length; l++) {
    let sum = 0;
    for (let j = 0; j < BT.length; j++) sum += AT[i]![j]! * G[j]![k]! * BT[j]![l]!;
    worst = Math.max(worst, Math.abs(sum - Number(l === i + k)));
  }
  return worst;
}

export interface ConvShape {
  batch: number;
  inChannels: number;
  outChannels: number;
  /** Square input, "same" padding. */
  size: number;
  kernel: number;
}

/**
 * Appends y = Conv(x, w, same padding) computed by Winograd F(4×4, 5×5) in H, W, N, C layout,
 * where every transform is one large MatMul against a constant and every reordering moves
 * contiguous blocks, except the two layout changes at the ends (NCHW ↔ HWNC).
 */
export function winogradConv(b: GraphBuilder, x: string, w: string, s: ConvShape): string {
  if (s.kernel !== 5) throw new Error('winogradConv implements F(4×4, 5×5): the kernel must be 5×5');
  const [m, r] = [4, s.kernel];
  const { AT, G, BT } = winogradMatrices(m, r, [0, 1, -1, 2, -2, 0.5, -0.5]);
  const [n, tiles] = [m + r - 1, Math.ceil(s.size / m)];
  const padded = m * tiles + r - 1;
  const pad = (r - 1) / 2;
  const ints = (v: number[]) => b.constant('ints', Tensor.int64([v.length], v));
  const f32 = (shape: number[], v: number[]) => b.constant('winograd', Tensor.float32(shape, v));
  // Bᵀ for every tile at once: rows (coefficient, tile), columns the padded positions.
  const band = new Array<number>(n * tiles * padded).fill(0);
  for (let c = 0; c < n; c++) for (let t = 0; t < tiles; t++) for (let l = 0; l < n; l++) band[(c * tiles + t) * padded + m * t + l] = BT[c]![l]!;
  const B = f32([n * tiles, padded], band);
  const GT = f32([r, n], Array.from({ length: r * n }, (_, i) => G[i % n]![Math.floor(i / n)]!));
  const A = f32([m, n], AT.flat());
  const [N, Ci, Co] = [s.batch, s.inChannels, s.outChannels];

  const xt = b.op('Transpose', [x], { perm: [2, 3, 0, 1] });
  const xp = b.op('Reshape', [b.op('Pad', [xt, ints([pad, pad, 0, 0, padded - s.size - pad, padded - s.size - pad, 0, 0])]), ints([padded, padded, N * Ci])]);
  const rows = b.op('Reshape', [b.op('MatMul', [B, xp]), ints([padded, n * tiles * N * Ci])]);
  const both = b.op('Reshape', [b.op('MatMul', [B, rows]), ints([n, tiles, n, tiles * N * Ci])]);
  const V = b.op('Reshape', [b.op('Transpose', [both], { perm: [0, 2, 1, 3] }), ints([n * n, tiles * tiles * N, Ci])]);
  const g1 = b.op('Transpose', [b.op('MatMul', [w, GT])], { perm: [0, 1, 3, 2] });
  const U = b.op('Reshape', [b.op('Transpose', [b.op('MatMul', [g1, GT])], { perm: [3, 2, 1, 0] }), ints([n * n, Ci, Co])]);
  const M = b.op('Reshape', [b.op('MatMul', [V, U]), ints([n, n * tiles * tiles * N * Co])]);
  const o1 = b.op('Reshape', [b.op('MatMul', [A, M]), ints([m, n, tiles * tiles * N * Co])]);
  const o2 = b.op('Reshape', [b.op('MatMul', [A, o1]), ints([m, m, tiles, tiles, N * Co])]);
  const hwnc = b.op('Reshape', [b.op('Transpose', [o2], { perm: [2, 0, 3, 1, 4] }), ints([m * tiles, m * tiles, N, Co])]);
  return b.op('Transpose', [b.op('Slice', [hwnc, ints([0, 0]), ints([s.size, s.size]), ints([0, 1])])], { perm: [2, 3, 0, 1] });
}

/**
 * Σ Conv(x, w)·r ("same" padding), directly or by winogradConv, with its gradients w.r.t. x and
 * w in one run: r seeds the backward pass as a loss would. Feeds: x, w, r; outputs: the loss
 * and y (their names are returned).
 */
export async function convolutionGradients(kind: 'direct' | 'winograd', s: ConvShape, runtime: RuntimeOptions): Promise<{ session: GradientSession; loss: string; y: string }> {
  const { batch: N, inChannels: Ci, outChannels: Co, size: H, kernel: K } = s;
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [N, Ci, H, H]);
  const w = b.input('w', 'float32', [Co, Ci, K, K]);
  const r = b.input('r', 'float32', [N, Co, H, H]);
  const pad = (K - 1) / 2;
  const y = kind === 'direct' ? b.op('Conv', [x, w], { pads: [pad, pad, pad, pad], kernel_shape: [K, K] }) : winogradConv(b, x, w, s);
  const loss = b.op('ReduceSum', [b.op('Mul', [y, r])], { keepdims: 0 });
  b.output(loss);
  b.output(y);
  const { model } = await prepareModel(b.model({ opset: 17 }));
  return { session: await GradientSession.create(model, { of: [loss], wrt: ['x', 'w'], seed: 'ones', keep: [loss, y] }, runtime), loss, y };
}
