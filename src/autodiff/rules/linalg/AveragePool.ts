import type { GradientRule } from '../../types.js';
import { scatterPool, staticPads, poolAxes, windowCounts } from './window.js';

/**
 * y[o] = Σ_{taps in x} x / D[o]; D = taps inside x (count_include_pad = 0) or inside the padded
 * extent [−pb, S + pe) (count_include_pad = 1; a ceil_mode window overhanging it counts less,
 * as in onnxruntime and PyTorch). dx = scatter of dy / D over each window's in-bounds taps.
 * D is the constant prod(kernel) when every window is full; otherwise it is computed exactly by
 * convolving a ones tensor (folded to a constant by onnxruntime when shapes are static).
 * Linear in x: no kinks.
 */
export const AveragePool: GradientRule = {
  op: 'AveragePool',
  grad: (g) => {
    const [x, y, dy] = [g.I(0), g.O(0), g.GO(0)!];
    const include = g.node.int('count_include_pad', 0) !== 0;
    const axes = poolAxes(g, x);
    const noPads = staticPads(axes) && axes.every((a) => a.pb === 0 && a.pe === 0);
    const noOverhang = axes.every((a) => (a.rem !== null ? a.rem >= 0 : !a.overhang));
    const divisor = (include || noPads) && noOverhang
      ? g.scalar(axes.reduce((p, a) => p * a.k!, 1), x)
      : windowCounts(g, x, y, axes, include);
    return [scatterPool(g, g.op('Div', [dy, divisor]), x, axes)];
  },
};
