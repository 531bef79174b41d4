/**
 * Conv and ConvTranspose. onnxruntime's CPU Conv/ConvTranspose are float32-only (no double
 * kernels), so each case is checked twice:
 * 1. against an independent float64 reference (reference.ts: the definition as loops, with its
 *    exact VJP) for a random dy — forward and gradients must agree to 1e-5 of their largest
 *    entry: float32 rounding of sums of at most a few hundred products (~1e-6) with margin;
 * 2. against central differences in float32 (harness gradcheck, ε = 1e-2·(1 + max|x|)). Conv is
 *    linear in each input, so the difference quotient has no truncation error at any step; a
 *    large step (ε = 0.1·(1 + max|x|)) leaves float32 rounding of f (≈1e-7·|f|) divided by 2ε,
 *    ~1e-5 relative (more for directions where ⟨∇f, v⟩ nearly cancels). Tolerance 1e-3.
 */
import { describe, expect, it } from 'vitest';
import type { Dim } from '../../../src/onnx/ir/value.js';
import { expectGradientsMatch } from '../harness.js';
import { asNumbers, expectMatchesReference, randn, report, worstOf } from './helpers.js';
import * as ref from './reference.js';

const FD_TOLERANCE = 1e-3;
/** Exact for a linear map, so a large step only shrinks the rounding noise. */
const FD_EPSILON = 0.1;
const REF_TOLERANCE = 1e-5;

interface ConvCase {
  name: string;
  x: number[];
  /** Declared input shape (symbols for dynamic dims); default: x. */
  declared?: Dim[];
  w: number[];
  bias?: boolean;
  attrs: Record<string, number | string | number[]>;
  /** Also run central differences (slower: a few sessions per input). */
  fd?: boolean;
}

function convAttrs(a: ConvCase['attrs']) {
  return {
    strides: a.strides as number[] | undefined,
    dilations: a.dilations as number[] | undefined,
    pads: a.pads as number[] | undefined,
    autoPad: a.auto_pad as ref.AutoPad | undefined,
    group: a.group as number | undefined,
  };
}

async function checkConv(c: ConvCase, op: 'Conv' | 'ConvTranspose'): Promise<number> {
  const x = randn(c.x);
  const w = randn(c.w);
  const channels = op === 'Conv' ? c.w[0]! : c.w[1]! * ((c.attrs.group as number | undefined) ?? 1);
  const b = c.bias ? randn([channels]) : undefined;
  const build: Parameters<typeof expectGradientsMatch>[0]['build'] = (gb) => {
    const xi = gb.input('x', 'float32', c.declared ?? c.x);
    const wi = gb.input('w', 'float32', c.w);
    const inputs = [xi, wi];
    if (b) inputs.push(gb.input('b', 'float32', [channels]));
    return gb.op(op, inputs, c.attrs);
  };
  const feeds = { x, w, ...(b ? { b } : {}) };
  const wrt = Object.keys(feeds);
  const forward = op === 'Conv'
    ? ref.conv(asNumbers(x), c.x, asNumbers(w), c.w, b && asNumbers(b), convAttrs(c.attrs))
    : ref.convTranspose(asNumbers(x), c.x, asNumbers(w), c.w, b && asNumbers(b), ctAttrs(c.attrs));
  const seed = randn(forward.yShape);
  const r = op === 'Conv'
    ? ref.conv(asNumbers(x), c.x, asNumbers(w), c.w, b && asNumbers(b), convAttrs(c.attrs), asNumbers(seed))
    : ref.convTranspose(asNumbers(x), c.x, asNumbers(w), c.w, b && asNumbers(b), ctAttrs(c.attrs), asNumbers(seed));
  const worst = await expectMatchesReference({
    build, feeds, wrt, seed,
    forward: r.y, forwardShape: r.yShape,
    gradients: { x: r.dx, w: r.dw, ...(b ? { b: r.db } : {}) },
    tolerance: REF_TOLERANCE,
  });
  report(`${op} ${c.name}`, 'float64-reference', worst);
  if (c.fd) report(`${op} ${c.name}`, 'float32-central-diff', worstOf(await expectGradientsMatch({ build, feeds, tolerance: FD_TOLERANCE, epsilon: FD_EPSILON })));
  return worst;
}

function ctAttrs(a: ConvCase['attrs']): ref.ConvTransposeAttrs {
  return {
    ...convAttrs(a),
    outputPadding: a.output_padding as number[] | undefined,
    outputShape: a.output_shape as number[] | undefined,
  };
}

const CONV_CASES: ConvCase[] = [
  { name: '1-D, stride 2, trailing row dropped (output_padding path)', x: [2, 3, 11], declared: ['batch', 3, 11], w: [4, 3, 3], bias: true, attrs: { strides: [2], pads: [1, 0] }, fd: true },
  { name: '1-D, stride 3, dilation 2, remainder inside the end pad', x: [3, 2, 11], w: [3, 2, 3], attrs: { strides: [3], dilations: [2], pads: [2, 2] } },
  { name: '1-D, 1x1 kernel, stride 3 (two dropped rows), pads ≥ kernel', x: [2, 2, 10], w: [3, 2, 1], bias: true, attrs: { strides: [3], pads: [1, 1] } },
  { name: '2-D, group 2, strides/dilations/asymmetric pads', x: [2, 4, 7, 8], declared: ['batch', 4, 7, 8], w: [6, 2, 3, 2], bias: true, attrs: { group: 2, strides: [2, 3], dilations: [2, 1], pads: [1, 0, 2, 1] }, fd: true },
  { name: '2-D depthwise (group = C_in), stride 2', x: [3, 4, 9, 9], declared: ['batch', 4, 9, 9], w: [4, 1, 3, 3], bias: true, attrs: { group: 4, strides: [2, 2], pads: [1, 1, 1, 1] }, fd: true },
  { name: '2-D depthwise with channel multiplier 2', x: [2, 3, 6, 5], w: [6, 1, 3, 2], attrs: { group: 3, pads: [1, 0, 1, 1] } },
  { name: '2-D group 3 with 2 input channels per group', x: [2, 6, 5, 6], w: [3, 2, 2, 3], attrs: { group: 3, strides: [2, 1], dilations: [1, 2] } },
  { name: '2-D SAME_UPPER, stride 2', x: [2, 3, 7, 6], w: [4, 3, 3, 3], bias: true, attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, fd: true },
  { name: '2-D SAME_LOWER, strides 2, 3', x: [2, 3, 8, 7], w: [2, 3, 4, 3], attrs: { auto_pad: 'SAME_LOWER', strides: [2, 3] } },
  { name: '2-D SAME_UPPER, stride 1, even kernel', x: [2, 2, 5, 5], w: [2, 2, 2, 4], attrs: { auto_pad: 'SAME_UPPER' } },
  { name: '2-D VALID, stride 3', x: [2, 3, 10, 8], w: [2, 3, 2, 2], attrs: { auto_pad: 'VALID', strides: [3, 3] } },
  { name: '3-D, group 2, strides, dilations, pads', x: [2, 2, 5, 6, 4], declared: ['batch', 2, 5, 6, 4], w: [4, 1, 2, 3, 2], bias: true, attrs: { group: 2, strides: [1, 2, 2], dilations: [1, 1, 2], pads: [1, 0, 1, 0, 1, 1] }, fd: true },
  // Symbolic spatial dims: the crop/zero-extension to Shape(x) happens at run time.
  { name: 'dynamic H, stride 2, pads 1 (crop only)', x: [2, 3, 9, 8], declared: ['batch', 3, 'h', 8], w: [4, 3, 3, 3], bias: true, attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, fd: true },
  { name: 'dynamic H, stride 2, no pads (zero-extend only)', x: [2, 3, 9, 8], declared: ['batch', 3, 'h', 8], w: [4, 3, 2, 2], attrs: { strides: [2, 2] } },
  { name: 'dynamic H, W, stride 3, pads 1 (extend and crop)', x: [3, 2, 10, 8], declared: ['batch', 2, 'h', 'w'], w: [2, 2, 3, 2], attrs: { strides: [3, 3], pads: [1, 1, 1, 1] } },
  { name: 'dynamic H, stride 1 (static crop)', x: [2, 3, 6, 5], declared: ['batch', 3, 'h', 5], w: [2, 3, 3, 3], attrs: { pads: [1, 2, 0, 1] } },
  { name: 'dynamic H, W, SAME_UPPER, stride 2 (pads at run time), group 2', x: [2, 4, 9, 6], declared: ['batch', 4, 'h', 'w'], w: [4, 2, 3, 3], bias: true, attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2], group: 2 }, fd: true },
  { name: 'dynamic H, SAME_LOWER, stride 2, even H', x: [2, 2, 8, 7], declared: ['batch', 2, 'h', 7], w: [3, 2, 4, 3], attrs: { auto_pad: 'SAME_LOWER', strides: [2, 2] } },
];

const CT_CASES: ConvCase[] = [
  { name: '1-D, stride 2, pads, output_padding', x: [2, 4, 5], declared: ['batch', 4, 5], w: [4, 3, 3], bias: true, attrs: { strides: [2], pads: [1, 0], output_padding: [1] }, fd: true },
  { name: '2-D, group 2, strides, dilations, pads, output_padding', x: [2, 4, 4, 3], w: [4, 3, 3, 2], bias: true, attrs: { group: 2, strides: [2, 3], dilations: [2, 1], pads: [1, 0, 0, 2], output_padding: [1, 2] }, fd: true },
  { name: '2-D, output_padding larger than the end pad', x: [2, 2, 3, 4], w: [2, 3, 2, 3], attrs: { strides: [3, 3], pads: [0, 1, 0, 0], output_padding: [2, 1] } },
  { name: '2-D SAME_UPPER, stride 2, dilation 2', x: [2, 2, 4, 3], w: [2, 2, 3, 3], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2], dilations: [2, 2] } },
  { name: '2-D SAME_LOWER, strides 2, 3 (odd total pad)', x: [2, 2, 4, 3], w: [2, 3, 3, 3], bias: true, attrs: { auto_pad: 'SAME_LOWER', strides: [2, 3] } },
  { name: '2-D VALID, depthwise (group = C_in)', x: [2, 3, 4, 4], w: [3, 1, 2, 3], attrs: { auto_pad: 'VALID', group: 3, strides: [2, 2] } },
  { name: '2-D output_shape smaller than the full extent', x: [2, 2, 4, 3], w: [2, 2, 3, 3], attrs: { strides: [2, 2], output_shape: [7, 6] } },
  { name: '2-D output_shape larger (zero-extended)', x: [2, 2, 4, 3], w: [2, 2, 3, 3], bias: true, attrs: { strides: [2, 2], output_shape: [10, 8] }, fd: true },
  { name: '3-D, group 2, strides, pads', x: [2, 4, 3, 2, 3], declared: ['batch', 4, 3, 2, 3], w: [4, 1, 2, 2, 3], bias: true, attrs: { group: 2, strides: [2, 1, 2], pads: [0, 1, 1, 1, 0, 0] } },
  { name: 'dynamic H, W', x: [2, 3, 5, 4], declared: ['batch', 3, 'h', 'w'], w: [3, 2, 3, 3], bias: true, attrs: { strides: [2, 2], pads: [1, 1, 0, 1], output_padding: [1, 0] }, fd: true },
];

describe('Conv (float32; float64 reference + central differences)', () => {
  for (const c of CONV_CASES) it(c.name, async () => void (await checkConv(c, 'Conv')));
});

describe('ConvTranspose (float32; float64 reference + central differences)', () => {
  for (const c of CT_CASES) it(c.name, async () => void (await checkConv(c, 'ConvTranspose')));
});

describe('Conv gradient on a longer path', () => {
  it('Conv → Tanh → Conv (stride 2, dynamic batch) matches central differences', async () => {
    await expectGradientsMatch({
      build: (b) => {
        const x = b.input('x', 'float32', ['batch', 2, 9, 9]);
        const w1 = b.input('w1', 'float32', [3, 2, 3, 3]);
        const w2 = b.input('w2', 'float32', [2, 3, 2, 2]);
        const h = b.op('Tanh', [b.op('Conv', [x, w1], { strides: [2, 2], pads: [1, 1, 1, 1] })]);
        return b.op('Conv', [h, w2], { strides: [2, 2] });
      },
      feeds: { x: randn([3, 2, 9, 9]), w1: randn([3, 2, 3, 3]), w2: randn([2, 3, 2, 2]) },
      // Smooth (Relu kinks would spoil the difference quotient). Pre-activations move by
      // ≈ ε·|w|·√18 per unit step, so ε = 1e-3·(1 + max|x|) keeps the O(ε²) truncation near
      // 1e-5 while float32 rounding of f (≈1e-7·|f| / 2ε) stays below 1e-4.
      epsilon: 1e-3,
      tolerance: 2e-3,
    });
  });

  it('a weight with symbolic kernel dims (as in second-order graphs) crops at run time', async () => {
    await expectGradientsMatch({
      build: (b) => b.op('Conv', [b.input('x', 'float32', ['batch', 2, 11]), b.input('w', 'float32', [3, 2, 'k'])], { strides: [2], pads: [1, 0] }),
      feeds: { x: randn([2, 2, 11]), w: randn([3, 2, 4]) },
      epsilon: FD_EPSILON,
      tolerance: FD_TOLERANCE,
    });
  });

  it('refuses auto_pad SAME with a symbolic kernel in one line', async () => {
    await expect(expectGradientsMatch({
      build: (b) => b.op('Conv', [b.input('x', 'float32', [2, 1, 5]), b.input('w', 'float32', [1, 1, 'k'])], { auto_pad: 'SAME_UPPER' }),
      feeds: { x: randn([2, 1, 5]), w: randn([1, 1, 3]) },
    })).rejects.toThrow(/cannot differentiate Conv node .*: auto_pad SAME needs static kernel dims/);
  });
});
