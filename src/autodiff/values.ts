import { GlassboxError } from '../util/errors.js';
import { dtypeFromOnnx, type DType } from '../tensor/dtype.js';
import type { Graph } from '../onnx/ir/graph.js';
import { protoDims } from '../onnx/ir/tensor-proto.js';
import type { Dim, ValueInfo } from '../onnx/ir/value.js';

/**
 * Type and shape facts about the values of a graph, gathered once from inputs, initializers
 * and value_info (filled by shape inference or probing). Rules ask these questions; a missing
 * answer is an error naming the value, never a guess.
 */
export class ValueFacts {
  private readonly infos = new Map<string, ValueInfo>();

  constructor(graph: Graph) {
    for (const [name, proto] of graph.initializers) this.infos.set(name, { name, elemType: proto.data_type ?? 0, shape: protoDims(proto) });
    for (const v of graph.valueInfo.values()) this.infos.set(v.name, v);
    for (const v of [...graph.inputs, ...graph.outputs]) if (v.elemType !== undefined || v.shape) this.infos.set(v.name, { ...this.infos.get(v.name), ...v });
  }

  set(name: string, info: Omit<ValueInfo, 'name'>): void {
    this.infos.set(name, { name, ...info });
  }

  info(name: string): ValueInfo | undefined {
    return this.infos.get(name);
  }

  dtype(name: string): DType {
    const code = this.infos.get(name)?.elemType;
    const dtype = code === undefined ? undefined : dtypeFromOnnx(code);
    if (!dtype) throw new GlassboxError('unknown-shape', `the element type of "${name}" is unknown; infer or probe shapes before differentiating`);
    return dtype;
  }

  hasDtype(name: string): boolean {
    const code = this.infos.get(name)?.elemType;
    return code !== undefined && dtypeFromOnnx(code) !== undefined;
  }

  shape(name: string): Dim[] {
    const shape = this.infos.get(name)?.shape;
    if (!shape) throw new GlassboxError('unknown-shape', `the shape of "${name}" is unknown; infer or probe shapes before differentiating`);
    return shape;
  }

  rank(name: string): number {
    return this.shape(name).length;
  }
}
