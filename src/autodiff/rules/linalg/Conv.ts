import type { Dim } from '../../../onnx/ir/value.js';
import type { GradContext, GradientRule } from '../../types.js';
import { biasGrad, runtimeSamePads, scatterWindows, staticPads, windowAxes, windowWeightGrad } from './window.js';

/**
 * y[n,m,o] = b[m] + Σ_{c,k} w[m,c,k] · xpad[n, g(m)·Cg + c, o·s + k·d] (1-D/2-D/3-D, strides,
 * dilations, pads or auto_pad, groups incl. depthwise).
 * - dx: ConvTranspose(dy, w) with the forward's strides/dilations/group, cropped to x's extent:
 *   static sizes fold the crop into pads and output_padding (trailing input rows that a strided
 *   window never reached get zero, as in PyTorch); symbolic sizes crop or zero-extend to
 *   Shape(x) at run time; SAME over a symbolic size computes its pads at run time.
 * - dw: one Conv of x and dy with batch and channel roles swapped (see windowWeightGrad).
 * - db: dy summed over batch and space.
 * The map is bilinear, so there are no kinks to settle. Symbolic kernel dims (a computed weight,
 * as in the weight gradient's own Conv when differentiating a second time) are handled with
 * run-time crops.
 */
export const Conv: GradientRule = {
  op: 'Conv',
  grad: (g) => {
    const [x, w, b] = [g.I(0), g.I(1), g.I(2)];
    const dy = g.GO(0)!;
    const rank = g.rank(x);
    const kernel = kernelOf(g, w);
    const group = g.node.int('group', 1);
    const axes = windowAxes(g, x, kernel);
    const dx = g.needs(0) ? scatterWindows(g, dy, w, x, axes, group) : undefined;
    let dw: string | undefined;
    if (g.needs(1)) {
      const fixed = staticPads(axes);
      dw = windowWeightGrad(g, {
        input: x,
        dy,
        inputLike: x,
        group,
        cg: channelsOf(g, w, 1),
        kernel,
        kernelOf: w,
        strides: axes.map((a) => a.s),
        dilations: axes.map((a) => a.d),
        // Trimming rem off the end pad makes the swapped Conv yield exactly K positions.
        pads: fixed
          ? [...axes.map((a) => a.pb!), ...axes.map((a) => (a.rem === null ? a.pe! : Math.max(0, a.pe! - a.rem)))]
          : runtimeSamePads(g, x, axes),
        extra: axes.map((a) => (a.rem === null || !fixed ? null : a.rem > a.pe! ? Math.floor((a.rem - a.pe!) / a.d) : 0)),
      });
    }
    const db = b && g.needs(2) ? biasGrad(g, dy, rank) : undefined;
    return [dx, dw, db];
  },
};

/** Kernel dims from kernel_shape or the weight's dims 2.. (null where symbolic). */
export function kernelOf(g: GradContext, w: string): (number | null)[] {
  if (g.node.has('kernel_shape')) return g.node.ints('kernel_shape');
  return g.shape(w).slice(2).map((d: Dim) => (typeof d === 'number' ? d : null));
}

/** A weight dim as a number, or as a run-time reference for shape tensors. */
export function channelsOf(g: GradContext, w: string, axis: number): number | readonly [string, number] {
  const d = g.shape(w)[axis];
  return typeof d === 'number' ? d : [w, axis];
}
