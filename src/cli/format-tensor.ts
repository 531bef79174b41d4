import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A tensor as a person reads it: nested brackets like numpy, long axes elided with "…",
 * numbers to 6 significant digits, plus a summary line for anything large.
 */
export function formatTensor(tensor: Tensor, edge = 3): string {
  const values = tensor.dtype === 'string' ? (tensor.data as string[]) : tensor.toNumbers();
  const shape = tensor.shape;
  const fmt = (v: number | string): string => (typeof v === 'string' ? JSON.stringify(v) : tensor.dtype === 'bool' ? String(v !== 0) : formatNumber(v));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const render = (axis: number, offset: number): string => {
    if (axis === shape.length) return fmt(values[offset]!);
    const n = shape[axis]!;
    const items: string[] = [];
    const elide = n > 2 * edge + 1;
    for (let i = 0; i < n; i++) {
      if (elide && i === edge) {
        items.push('…');
        i = n - edge - 1;
        continue;
      }
      items.push(render(axis + 1, offset + i * strides[axis]!));
    }
    const sep = axis === shape.length - 1 ? ', ' : `,\n${' '.repeat(axis + 1)}`;
    return `[${items.join(sep)}]`;
  };
  const body = values.length === 0 ? '[]' : render(0, 0);
  if (tensor.dtype === 'string' || values.length <= 2 * edge + 1) return body;
  const numbers = values as number[];
  let min = Infinity, max = -Infinity, sum = 0, nan = 0;
  for (const v of numbers) {
    if (Number.isNaN(v)) { nan++; continue; }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const stats = `min ${formatNumber(min)}  max ${formatNumber(max)}  mean ${formatNumber(sum / Math.max(1, numbers.length - nan))}${nan ? `  NaN ×${nan}` : ''}`;
  return `${body}\n${stats}`;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 1e-4 || abs >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
}

/** "logits  float32 [2, 10]" */
export function tensorHeader(name: string, tensor: Tensor): string {
  return `${name}  ${tensor.dtype} ${formatShape(tensor.shape)}`;
}
