import { bytesPerElement, dtypeFromOnnx } from '../tensor/dtype.js';
import type { Model } from '../onnx/ir/model.js';
import { inferShapes, type SymbolTable } from '../onnx/shapes/index.js';
import { cloneModel } from '../onnx/edit/clone.js';
import type { Feeds } from '../runtime/feeds.js';

/**
 * Bytes of all values of a graph for one batch row: every intermediate counted once, as if
 * none were freed (what a backward graph, which keeps its forward values, comes close to).
 * Symbolic dims take their sizes from `feeds` (the batch dim counts as 1). An upper bound that
 * sets how many rows fit a memory budget.
 */
export function bytesPerRow(model: Model, feeds: Feeds): number {
  const copy = cloneModel(model);
  const { symbols } = inferShapes(copy);
  const graph = copy.graph;
  const bindings: Record<string, number> = {};
  for (const input of graph.feedInputs) {
    input.shape?.forEach((d, axis) => {
      const size = feeds[input.name]?.shape[axis];
      if (typeof d === 'string' && size !== undefined) bindings[d] = axis === 0 ? 1 : size;
    });
  }
  let total = 0;
  for (const node of graph.nodes) {
    for (const name of node.outputs) {
      const info = name ? graph.typeOf(name) : undefined;
      const dtype = info?.elemType === undefined ? undefined : dtypeFromOnnx(info.elemType);
      if (!info?.shape || !dtype || dtype === 'string') continue;
      total += sizeWith(info.shape, symbols, bindings) * bytesPerElement(dtype);
    }
  }
  return total;
}

function sizeWith(shape: readonly (number | string | null)[], symbols: SymbolTable, bindings: Record<string, number>): number {
  let n = 1;
  for (const d of shape) n *= symbols.evaluate(d, bindings) ?? 1;
  return n;
}
