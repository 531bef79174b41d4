import { GlassboxError } from '../../../util/errors.js';
import { dtypeToOnnx } from '../../../tensor/dtype.js';
import { Tensor } from '../../../tensor/tensor.js';
import type { GradientRule } from '../../types.js';
import { constFloats, dimOf, normAxis, prodOf, reshapeLike, sameDim, vec, type Int } from './util.js';

/**
 * y = Resize(x, roi?, scales?, sizes?) without antialias or with it, in every mode (nearest,
 * linear, cubic) and coordinate transformation: each is separable, y = x ×_a R_a over the
 * resized axes a, with R_a a [D_out, D] interpolation matrix that depends only on the axis'
 * sizes, scale and the attributes. So dx = dy ×_a R_aᵀ.
 *
 * R_a is computed exactly by onnxruntime itself: Resize of the identity matrix I_D along one
 * axis (the `axes` attribute) with that axis' scale or size, roi and every attribute of the
 * node (extrapolation_value set to 0: the extrapolated constant does not depend on x). Along
 * axis 0 this gives R_a, along axis 1 R_aᵀ, so no Transpose is needed: the last axis is
 * dy @ R_a, the one before R_aᵀ @ dy (MatMul broadcasts), others go through a
 * [pre, D_out, post] view. Nearest's R_a is one-hot: the MatMul is its scatter-add.
 *
 * Axes left alone (scale constant 1, or equal input and output dims: with sizes that is scale 1
 * exactly, with run-time scales it assumes scale 1, since floor(d·s) = d also holds for
 * 1 < s < 1 + 1/d) are skipped, except in the tf_* modes where scale 1 is not the identity.
 * keep_aspect_ratio_policy other than 'stretch' with sizes on several axes has no rule.
 * Cost: a [D_out, D] matrix per resized axis and a MatMul of dy with it.
 *
 * Fast path (constant scales): nearest upsampling by whole factors k where output i reads input
 * ⌊i/k⌋ (asymmetric + floor: torch's 'nearest'; half_pixel or pytorch_half_pixel + either
 * round_prefer mode: torch's 'nearest-exact') is a block copy, so dx = ReduceSum over the k
 * axes of Reshape(dy, [.., D, k, ..]).
 */
export const Resize: GradientRule = {
  op: 'Resize',
  nonDifferentiableInputs: [1, 2, 3],
  grad: (g) => {
    const node = g.node;
    const [x, roi, scales, sizes, y, dy] = [g.I(0), g.I(1), g.I(2), g.I(3), g.O(0), g.GO(0)!];
    const rank = g.rank(x);
    const xs = g.shape(x);
    const ys = g.shape(y);
    const listed = node.has('axes') ? node.ints('axes').map((a) => normAxis(a, rank)) : Array.from({ length: rank }, (_, i) => i);
    const given = (name: string): boolean => Boolean(name) && g.shape(name)[0] !== 0;
    const bySizes = given(sizes);
    if (!bySizes && !given(scales)) throw new GlassboxError('bad-model', `Resize ${node.describe()} has neither scales nor sizes`);
    const policy = node.string('keep_aspect_ratio_policy', 'stretch');
    if (bySizes && policy !== 'stretch' && listed.length > 1) {
      throw new GlassboxError('unsupported-op', `no gradient for Resize with keep_aspect_ratio_policy "${policy}"`);
    }
    const ctm = node.string('coordinate_transformation_mode', 'half_pixel');
    const tf = ctm === 'tf_crop_and_resize' || ctm === 'tf_half_pixel_for_nn';
    const scalesC = bySizes ? undefined : constFloats(g, scales);
    const dtype = g.dtype(x);

    const attrs = {
      mode: node.string('mode', 'nearest'),
      coordinate_transformation_mode: ctm,
      cubic_coeff_a: node.float('cubic_coeff_a', -0.75),
      exclude_outside: node.int('exclude_outside', 0),
      nearest_mode: node.string('nearest_mode', 'round_prefer_floor'),
      antialias: node.int('antialias', 0),
      extrapolation_value: 0,
    };
    /** Resize of I_D along `along` (0: R, [D_out, D]; 1: Rᵀ, [D, D_out]) for listed axis k. */
    const matrix = (a: number, k: number, along: 0 | 1): string => {
      const d = dimOf(g, x, a);
      const eye = g.op('EyeLike', [g.op('ConstantOfShape', [vec(g, [d, d])])], { dtype: dtypeToOnnx(dtype) });
      const pick = (list: string): string => g.op('Slice', [list, g.ints([k]), g.ints([k + 1])]);
      const n = listed.length;
      const roiK = ctm === 'tf_crop_and_resize' && roi ? g.op('Gather', [roi, g.ints([k, k + n])], { axis: 0 }) : '';
      const scaleK = bySizes ? '' : scalesC ? g.constant(Tensor.float32([1], [scalesC[k]!]), 'scale') : pick(scales);
      const sizeK = bySizes ? pick(sizes) : '';
      return g.op('Resize', [eye, roiK, scaleK, sizeK], { ...attrs, axes: [along] });
    };

    if (scalesC && blockNearest(attrs.mode, ctm, attrs.nearest_mode)) {
      const factors = listed.map((_, k) => scalesC[k]!);
      if (factors.every((f) => Number.isInteger(f) && f >= 1)) {
        const parts: Int[] = [];
        const axes: number[] = [];
        for (let a = 0; a < rank; a++) {
          const k = listed.indexOf(a);
          parts.push(dimOf(g, x, a));
          if (k >= 0 && factors[k]! > 1) {
            axes.push(parts.length);
            parts.push(factors[k]!);
          }
        }
        if (axes.length === 0) return [dy];
        return [g.op('ReduceSum', [g.op('Reshape', [dy, vec(g, parts)]), g.ints(axes)], { keepdims: 0 })];
      }
    }

    let t = dy;
    let viewed = false;
    // Last axis first: the [pre, D_out, post] view needs the axes after `a` already done.
    const order = listed.map((a, k) => [a, k] as const).sort((p, q) => q[0] - p[0]);
    for (const [a, k] of order) {
      const untouched = scalesC ? scalesC[k] === 1 : sameDim(xs[a], ys[a]);
      if (untouched && !tf) continue;
      if (a === rank - 1) t = g.op('MatMul', [t, matrix(a, k, 0)]);
      else if (a === rank - 2) t = g.op('MatMul', [matrix(a, k, 1), t]);
      else {
        const view = g.op('Reshape', [t, vec(g, [-1, dimOf(g, y, a), prodOf(g, x, a + 1)])]);
        t = g.op('MatMul', [matrix(a, k, 1), view]);
        viewed = true;
      }
    }
    return [viewed ? reshapeLike(g, t, x) : t];
  },
};

/** Nearest modes in which a whole scale k maps output i to input ⌊i/k⌋. */
function blockNearest(mode: string, ctm: string, nearest: string): boolean {
  if (mode !== 'nearest') return false;
  if (ctm === 'asymmetric') return nearest === 'floor';
  if (ctm === 'half_pixel' || ctm === 'pytorch_half_pixel') return nearest === 'round_prefer_floor' || nearest === 'round_prefer_ceil';
  return false;
}
