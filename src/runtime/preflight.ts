import { GlassboxError } from '../util/errors.js';
import { bytesPerElement, dtypeFromOnnx } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { cloneModel } from '../onnx/edit/clone.js';
import type { Model } from '../onnx/ir/model.js';
import type { Node } from '../onnx/ir/node.js';
import type { Dim } from '../onnx/ir/value.js';
import { inferShapes } from '../onnx/shapes/index.js';

type ShapeOf = (name: string) => Dim[] | undefined;

/**
 * Graph patterns that crash onnxruntime-node 1.30 instead of failing with an error, found by
 * fuzzing (scripts/fuzz.ts). Each check names the node and what is wrong with it.
 */
const CHECKS: Record<string, (node: Node, shape: ShapeOf) => string | undefined> = {
  // A scales/sizes input that is not a 1-D vector of the input's rank overruns a stack buffer.
  Resize: (node, shape) => {
    const rank = shape(node.inputs[0] ?? '')?.length;
    const axes = node.has('axes') ? node.ints('axes').length : rank;
    for (const [i, what] of [[2, 'scales'], [3, 'sizes']] as const) {
      const name = node.inputs[i];
      if (!name) continue;
      const s = shape(name);
      if (!s) return `its ${what} input has an unknown shape`;
      if (s.length !== 1) return `its ${what} input must be a vector, not of shape ${formatShape(s)}`;
      if (typeof s[0] === 'number' && s[0] !== 0 && axes !== undefined && s[0] !== axes) return `its ${what} input has ${s[0]} entries for ${axes} axes`;
    }
    return undefined;
  },
};

/**
 * A value whose static dims alone need more than this (4 GiB) is a broken file, not a model:
 * onnxruntime would spend minutes paging in the allocation before failing (found by fuzzing a
 * ConstantOfShape whose shape constant was corrupted).
 */
const MAX_STATIC_BYTES = 4 * 2 ** 30;

/**
 * Refuses models with a pattern known to crash or stall onnxruntime (see CHECKS and
 * MAX_STATIC_BYTES). Runs static shape inference on a copy; the model itself is left as it is.
 */
export function preflight(model: Model): void {
  const copy = cloneModel(model);
  inferShapes(copy);
  const graph = copy.graph;
  const shape: ShapeOf = (name) => {
    const init = graph.initializers.get(name);
    if (init) return init.dims.map(Number);
    return graph.typeOf(name)?.shape;
  };
  model.graph.nodes.forEach((node, index) => {
    const fail = (problem: string): never => {
      throw new GlassboxError('bad-model', `${node.describe(index)} cannot run: ${problem}`);
    };
    if (node.domain !== '' && node.domain !== 'ai.onnx') return;
    const problem = CHECKS[node.opType]?.(node, shape);
    if (problem) fail(problem);
    for (const output of node.outputs) {
      const dims = output ? shape(output) : undefined;
      const info = output ? graph.typeOf(output) : undefined;
      if (!dims || info?.elemType === undefined) continue;
      const dtype = dtypeFromOnnx(info.elemType);
      const bytes = dims.reduce<number>((n, d) => (typeof d === 'number' ? n * d : n), dtype && dtype !== 'string' ? bytesPerElement(dtype) : 1);
      if (bytes > MAX_STATIC_BYTES) fail(`its output "${output}" of shape ${formatShape(dims)} would need over ${Math.floor(bytes / 2 ** 30)} GiB`);
    }
  });
}
