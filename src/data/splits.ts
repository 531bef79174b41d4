/** Building DataSplits: index checks and the three input kinds' batch assembly. */
import { Tensor } from '../tensor/tensor.js';
import type { DataSplit } from '../train/types.js';
import { GlassboxError } from '../util/errors.js';

export function checkIndices(indices: readonly number[], size: number, what: string): void {
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= size) {
      throw new GlassboxError('bad-input', `${what}: example index ${i} is out of range (the split has ${size} examples)`);
    }
  }
}

/** A split whose rows are float32 vectors of `rowShape`, held flat (row-major) in `values`. */
export function floatSplit(what: string, rowShape: readonly number[], values: Float32Array, labels: Int32Array, extra: Partial<DataSplit> = {}): DataSplit {
  const row = rowShape.reduce((a, b) => a * b, 1);
  const size = labels.length;
  return {
    size,
    labels,
    ...extra,
    inputs(indices: readonly number[]): Tensor {
      checkIndices(indices, size, what);
      const out = new Float32Array(indices.length * row);
      indices.forEach((i, k) => out.set(values.subarray(i * row, (i + 1) * row), k * row));
      return new Tensor('float32', [indices.length, ...rowShape], out);
    },
  };
}
