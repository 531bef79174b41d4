/**
 * Resizing a 2-D map the way PyTorch's `F.interpolate` does (align_corners=False), which is what
 * Captum's `LayerAttribution.interpolate` uses to bring a coarse Grad-CAM map to the input's size:
 * the picture then shows the numbers the method returns.
 */
export type UpsampleMode = 'nearest' | 'bilinear';

export interface Map2d {
  width: number;
  height: number;
  /** Row-major, height × width values. */
  data: Float32Array;
}

export function resizeMap(map: Map2d, width: number, height: number, mode: UpsampleMode): Map2d {
  if (map.width === width && map.height === height) return map;
  const out = new Float32Array(width * height);
  const sy = map.height / height;
  const sx = map.width / width;
  if (mode === 'nearest') {
    // PyTorch 'nearest': src = floor(dst * in / out).
    for (let y = 0; y < height; y++) {
      const iy = Math.min(map.height - 1, Math.floor(y * sy));
      for (let x = 0; x < width; x++) out[y * width + x] = map.data[iy * map.width + Math.min(map.width - 1, Math.floor(x * sx))]!;
    }
    return { width, height, data: out };
  }
  // PyTorch 'bilinear', align_corners=False: src = (dst + 0.5) * in / out - 0.5, clamped at 0.
  const axis = (n: number, scale: number, size: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } => {
    const i0 = new Int32Array(n);
    const i1 = new Int32Array(n);
    const f = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      const src = Math.max(0, (d + 0.5) * scale - 0.5);
      const lo = Math.min(size - 1, Math.floor(src));
      i0[d] = lo;
      i1[d] = Math.min(size - 1, lo + 1);
      f[d] = src - lo;
    }
    return { i0, i1, f };
  };
  const ay = axis(height, sy, map.height);
  const ax = axis(width, sx, map.width);
  const m = map.data;
  const w = map.width;
  for (let y = 0; y < height; y++) {
    const r0 = ay.i0[y]! * w;
    const r1 = ay.i1[y]! * w;
    const fy = ay.f[y]!;
    for (let x = 0; x < width; x++) {
      const c0 = ax.i0[x]!;
      const c1 = ax.i1[x]!;
      const fx = ax.f[x]!;
      const top = m[r0 + c0]! * (1 - fx) + m[r0 + c1]! * fx;
      const bottom = m[r1 + c0]! * (1 - fx) + m[r1 + c1]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { width, height, data: out };
}
