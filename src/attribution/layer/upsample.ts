/**
 * Captum's LayerAttribution.interpolate: resizing a layer attribution [batch, channels, ...spatial]
 * to new spatial dims with torch.nn.functional.interpolate's defaults (align_corners=False),
 * index for index — including torch's float32 index arithmetic — so upsampled Grad-CAM maps
 * agree with Captum's.
 */
import { GlassboxError } from '../../util/errors.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

export type InterpolateMode = 'nearest' | 'bilinear';

export const INTERPOLATE_MODES: readonly InterpolateMode[] = ['nearest', 'bilinear'];

const f32 = Math.fround;

/** Resizes the spatial dims (2..) of `t` to `size`. */
export function interpolateLayer(t: Tensor, size: readonly number[], mode: InterpolateMode = 'nearest'): Tensor {
  const spatial = t.shape.slice(2);
  if (t.rank < 3) throw new GlassboxError('not-applicable', `cannot upsample an attribution of shape ${formatShape(t.shape)}: it has no spatial dims`);
  if (size.length !== spatial.length) {
    throw new GlassboxError('not-applicable', `cannot upsample an attribution with ${spatial.length} spatial dims (shape ${formatShape(t.shape)}) to ${size.length} dims ${formatShape(size)}`);
  }
  if (mode === 'bilinear' && spatial.length !== 2) {
    throw new GlassboxError('not-applicable', `bilinear upsampling needs 2 spatial dims (an attribution [batch, 1, height, width]); this one has shape ${formatShape(t.shape)} (use nearest)`);
  }
  if (!INTERPOLATE_MODES.includes(mode)) throw new GlassboxError('bad-option', `unknown upsampling mode "${mode as string}" (use ${INTERPOLATE_MODES.join(' or ')})`);
  const taps = spatial.map((from, d) => (mode === 'nearest' ? nearestTaps(from, size[d]!) : linearTaps(from, size[d]!)));
  return resample(t, size, taps);
}

/** For one output index: input indices and their weights. */
type Taps = { index: number[]; weight: number[] }[];

/**
 * torch's legacy 'nearest' (nearest_idx): identity for equal sizes, i >> 1 for exact doubling,
 * else min(floor(i · scale), in − 1) with scale = in / out, all in float32.
 */
function nearestTaps(from: number, to: number): Taps {
  const scale = f32(from / to);
  return Array.from({ length: to }, (_, i) => {
    const src = to === from ? i : to === 2 * from ? i >> 1 : Math.min(Math.floor(f32(i * scale)), from - 1);
    return { index: [src], weight: [1] };
  });
}

/**
 * torch's linear taps with align_corners=False (area_pixel_compute_source_index and
 * guard_index_and_lambda): source x = scale · (i + 0.5) − 0.5, clamped at 0; the two neighbours
 * floor(x) and floor(x) + 1 (the last one repeated at the edge), weights 1 − λ and λ.
 */
function linearTaps(from: number, to: number): Taps {
  const scale = f32(from / to);
  return Array.from({ length: to }, (_, i) => {
    if (from === to) return { index: [i], weight: [1] };
    const real = Math.max(0, f32(f32(scale * f32(i + 0.5)) - 0.5));
    const i0 = Math.min(Math.floor(real), from - 1);
    const lambda1 = Math.min(Math.max(f32(real - i0), 0), 1);
    const i1 = i0 + (i0 < from - 1 ? 1 : 0);
    return { index: [i0, i1], weight: [f32(1 - lambda1), lambda1] };
  });
}

/** Separable resampling: each output value is Σ over the taps of every spatial dim, product of weights. */
function resample(t: Tensor, size: readonly number[], taps: Taps[]): Tensor {
  const planes = t.shape[0]! * t.shape[1]!;
  const inSpatial = t.shape.slice(2);
  const inPlane = sizeOf(inSpatial);
  const outPlane = sizeOf(size);
  const src = t.data as Float32Array;
  const out = new Float32Array(planes * outPlane);
  const inStrides = inSpatial.map((_, d) => sizeOf(inSpatial.slice(d + 1)));
  const outIndex = new Array<number>(size.length).fill(0);
  for (let o = 0; o < outPlane; o++) {
    let rest = o;
    for (let d = size.length - 1; d >= 0; d--) {
      outIndex[d] = rest % size[d]!;
      rest = Math.floor(rest / size[d]!);
    }
    const perDim = outIndex.map((i, d) => taps[d]![i]!);
    // Nested sums, outermost dim last (w_h0·(w_w0·a + w_w1·b) + w_h1·(...)), as torch's kernel.
    const accumulate = (plane: number, d: number, offset: number): number => {
      if (d === perDim.length) return src[plane * inPlane + offset]!;
      const { index, weight } = perDim[d]!;
      let sum = 0;
      for (let k = 0; k < index.length; k++) sum += weight[k]! * accumulate(plane, d + 1, offset + index[k]! * inStrides[d]!);
      return sum;
    };
    for (let p = 0; p < planes; p++) out[p * outPlane + o] = accumulate(p, 0, 0);
  }
  return new Tensor('float32', [t.shape[0]!, t.shape[1]!, ...size], out);
}
