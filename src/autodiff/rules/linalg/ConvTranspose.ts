import type { GradientRule } from '../../types.js';
import { channelsOf, kernelOf } from './Conv.js';
import { autoPadOf, biasGrad, staticDim, unsupported, windowWeightGrad } from './window.js';

/**
 * y = crop(full) + b, full[n, g·Cog + j, i·s + k·d] += x[n, ci, i] · w[ci, j, k] (ci in group g),
 * of length (S−1)·s + dk + output_padding; the crop removes `begin` positions at the start and
 * `e` at the end (e < 0: zero-extended to output_shape). begin/e follow onnxruntime: explicit
 * pads; or total = full − out split floor/ceil (SAME_UPPER: the larger half at the end, anything
 * else with output_shape or SAME_LOWER: at the start), out = output_shape or, for SAME,
 * full − max(0, dk + output_padding − s).
 * ConvTranspose is the adjoint of Conv(·, w), so
 * - dx = Conv(dy, w) with the same strides/dilations/group, pads [begin, max(0, e − op)];
 * - dw = the kernel gradient of that Conv with dy as its input and x as its output gradient;
 * - db = dy summed over batch and space.
 */
export const ConvTranspose: GradientRule = {
  op: 'ConvTranspose',
  grad: (g) => {
    const [x, w, b] = [g.I(0), g.I(1), g.I(2)];
    const dy = g.GO(0)!;
    const rank = g.rank(x);
    const n = rank - 2;
    const kernel = kernelOf(g, w);
    const ones = new Array<number>(n).fill(1);
    const strides = g.node.ints('strides', ones);
    const dilations = g.node.ints('dilations', ones);
    const outputPadding = g.node.ints('output_padding', new Array<number>(n).fill(0));
    const pads = g.node.ints('pads', new Array<number>(2 * n).fill(0));
    const group = g.node.int('group', 1);
    const auto = autoPadOf(g);
    const given = g.node.has('output_shape') ? g.node.ints('output_shape').slice(-n) : undefined;
    const spatial = g.shape(x).slice(2);
    const begin: number[] = [];
    const end: number[] = [];
    for (let i = 0; i < n; i++) {
      const [s, d, op] = [strides[i]!, dilations[i]!, outputPadding[i]!];
      const k = kernel[i];
      if ((given || auto.startsWith('SAME')) && (k === null || k === undefined)) throw unsupported(g, 'output_shape or auto_pad SAME needs static kernel dims');
      const dk = d * (k! - 1) + 1;
      let total: number;
      if (given) {
        const S = staticDim(g, spatial[i], 'with output_shape, each spatial dim of the input');
        total = (S - 1) * s + dk + op - given[i]!;
      } else if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') total = Math.max(0, dk + op - s);
      else {
        const [pb, pe] = auto === 'VALID' ? [0, 0] : [pads[i]!, pads[i + n]!];
        begin.push(pb);
        end.push(pe);
        continue;
      }
      if (total < 0) {
        begin.push(0);
        end.push(total);
        continue;
      }
      const head = auto === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
      begin.push(head);
      end.push(total - head);
    }
    if (begin.some((p) => p < 0)) throw unsupported(g, 'negative pads');
    // Conv over dy padded to the uncropped extent (minus output_padding, which no x reaches).
    const convPads = [...begin, ...end.map((e, i) => Math.max(0, e - outputPadding[i]!))];
    const over = end.map((e, i) => Math.max(0, outputPadding[i]! - e));
    let dx: string | undefined;
    if (g.needs(0)) {
      dx = g.op('Conv', [dy, w], { strides, dilations, group, pads: convPads });
      const cut = over.map((o, i) => [o, i] as const).filter(([o, i]) => Math.floor(o / strides[i]!) > 0);
      if (cut.length > 0) {
        dx = g.op('Slice', [dx, g.ints(cut.map(() => 0)), g.ints(cut.map(([o, i]) => -Math.floor(o / strides[i]!))), g.ints(cut.map(([, i]) => i + 2))]);
      }
    }
    const dw = g.needs(1)
      ? windowWeightGrad(g, {
          input: dy,
          dy: x,
          inputLike: g.O(0),
          group,
          cg: channelsOf(g, w, 1),
          kernel,
          kernelOf: w,
          strides,
          dilations,
          pads: convPads,
          extra: over.map((o, i) => Math.floor(o / dilations[i]!)),
        })
      : undefined;
    const db = b && g.needs(2) ? biasGrad(g, dy, rank) : undefined;
    return [dx, dw, db];
  },
};
