import { dtypeToOnnx, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { GraphBuilder } from '../../onnx/builder.js';
import type { AttributeInput } from '../../onnx/ir/attribute.js';
import type { Dim } from '../../onnx/ir/value.js';

type Attributes = Record<string, AttributeInput | undefined>;

/**
 * Writes the nodes of a lowered recurrent node and records the element type and shape of every
 * value it creates in the graph's value_info, so the gradient rules that later differentiate the
 * unrolled graph find the facts they ask for (ranks, broadcast axes) without re-running inference.
 * Small constants are shared across the whole lowering.
 */
export class LowerEmitter {
  private readonly constants = new Map<string, string>();

  constructor(readonly builder: GraphBuilder, readonly dtype: DType) {}

  /** One node, one output, of the float type unless `dtype` says otherwise. */
  op(opType: string, inputs: (string | undefined)[], attributes: Attributes | undefined, shape: Dim[], options: { name?: string; dtype?: DType } = {}): string {
    const out = this.builder.op(opType, inputs, attributes ?? {}, { outputs: [options.name ?? this.builder.fresh(opType)] })[0]!;
    this.record(out, shape, options.dtype);
    return out;
  }

  /** Split along `axis` into parts of the given sizes (shapes say each part's dims). */
  split(x: string, axis: number, sizes: readonly number[], shapes: Dim[][], dtype?: DType): string[] {
    if (sizes.length === 1) return [x];
    const outs = this.builder.op('Split', [x, this.ints(sizes)], { axis }, { outputs: sizes.map(() => this.builder.fresh('Split')) });
    outs.forEach((o, i) => this.record(o, shapes[i]!, dtype));
    return outs;
  }

  /** A constant int64 vector (axes, split sizes, shapes). */
  ints(values: readonly number[]): string {
    return this.constant(Tensor.int64([values.length], values), 'ints');
  }

  /** A scalar of the float type (shape []), broadcasting against anything. */
  scalar(value: number): string {
    const data = this.dtype === 'float64' ? new Float64Array([value]) : new Float32Array([value]);
    return this.constant(new Tensor(this.dtype, [], data as never), 'scalar');
  }

  /** Any constant tensor (small ones are shared). */
  constantTensor(tensor: Tensor, hint: string): string {
    return this.constant(tensor, hint);
  }

  private constant(tensor: Tensor, hint: string): string {
    if (tensor.size > 64) return this.add(tensor, hint);
    const key = `${tensor.dtype}${JSON.stringify(tensor.shape)}${(tensor.data as ArrayLike<number | bigint>).toString()}`;
    const hit = this.constants.get(key);
    if (hit) return hit;
    const name = this.add(tensor, hint);
    this.constants.set(key, name);
    return name;
  }

  private add(tensor: Tensor, hint: string): string {
    const saved = this.builder.prefix;
    this.builder.prefix = '';
    const name = this.builder.constant(`lowered_${hint}`, tensor);
    this.builder.prefix = saved;
    return name;
  }

  private record(name: string, shape: Dim[], dtype: DType = this.dtype): void {
    this.builder.graph.valueInfo.set(name, { name, elemType: dtypeToOnnx(dtype), shape: [...shape] });
  }
}
