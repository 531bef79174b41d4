import type { Tensor } from '../../src/tensor/tensor.js';

/** max |a - b| over all elements (shapes must match). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shape mismatch ${a} vs ${b}`);
  const x = a.toNumbers();
  const y = b.toNumbers();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
}

export function maxAbs(a: Tensor): number {
  return a.toNumbers().reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** Relative error max|a-b| / max(1e-12, max|b|). */
export function relError(a: Tensor, reference: Tensor): number {
  return maxAbsDiff(a, reference) / Math.max(1e-12, maxAbs(reference));
}
