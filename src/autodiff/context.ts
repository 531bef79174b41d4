import { GlassboxError } from '../util/errors.js';
import { allocate, dtypeToOnnx, type DType } from '../tensor/dtype.js';
import { toBfloat16Bits, toFloat16Bits } from '../tensor/half.js';
import { Tensor } from '../tensor/tensor.js';
import type { GraphBuilder } from '../onnx/builder.js';
import type { AttributeInput } from '../onnx/ir/attribute.js';
import { tensorFromProto } from '../onnx/ir/tensor-proto.js';
import type { Node } from '../onnx/ir/node.js';
import type { Dim } from '../onnx/ir/value.js';
import type { GradContext } from './types.js';
import type { ValueFacts } from './values.js';

/** Emission state shared by every rule of one gradient build (constants and shapes are reused). */
export class Emitter {
  private readonly constants = new Map<string, string>();
  private readonly shapes = new Map<string, string>();
  private readonly values = new Map<string, Tensor>();

  constructor(readonly builder: GraphBuilder, readonly facts: ValueFacts) {}

  op(opType: string, inputs: (string | undefined)[], attributes?: Record<string, AttributeInput | undefined>, outputs = 1): string[] {
    return this.builder.op(opType, inputs, attributes, { outputs });
  }

  constant(tensor: Tensor, hint = 'const'): string {
    const cacheable = tensor.size <= 16 && tensor.dtype !== 'string';
    const key = cacheable ? `${tensor.dtype}${JSON.stringify(tensor.shape)}${(tensor.data as ArrayLike<number | bigint>).toString()}` : '';
    const hit = cacheable ? this.constants.get(key) : undefined;
    if (hit) return hit;
    const saved = this.builder.prefix;
    this.builder.prefix = '';
    const name = this.builder.constant(`grad_${hint}`, tensor);
    this.builder.prefix = saved;
    this.facts.set(name, { elemType: dtypeToOnnx(tensor.dtype), shape: [...tensor.shape] });
    if (cacheable) this.constants.set(key, name);
    return name;
  }

  ints(values: readonly number[], shape: readonly number[] = [values.length]): string {
    return this.constant(Tensor.int64(shape, values), 'ints');
  }

  scalar(value: number, dtype: DType, shape: readonly number[] = []): string {
    const data = allocate(dtype, shape.reduce((a, b) => a * b, 1)) as unknown as { fill(v: number | bigint): void };
    // Half-precision types hold bit patterns, not numbers.
    const stored = dtype === 'float16' ? toFloat16Bits(value) : dtype === 'bfloat16' ? toBfloat16Bits(value) : value;
    data.fill(dtype === 'int64' || dtype === 'uint64' ? BigInt(value) : stored);
    return this.constant(new Tensor(dtype, shape, data as never), 'scalar');
  }

  constantValue(name: string): Tensor | undefined {
    if (!name) return undefined;
    const graph = this.builder.graph;
    const proto = graph.initializers.get(name);
    if (!proto || graph.inputs.some((i) => i.name === name)) return undefined;
    let value = this.values.get(name);
    if (!value) this.values.set(name, (value = tensorFromProto(proto)));
    return value;
  }

  shapeOf(name: string): string {
    let s = this.shapes.get(name);
    if (!s) {
      s = this.op('Shape', [name])[0]!;
      this.shapes.set(name, s);
    }
    return s;
  }

  /**
   * Sums `grad` (shaped like `from`) down to the shape of `like`, undoing numpy-style
   * broadcasting: leading axes `like` lacks, and axes where `like` has a static 1 that `from`
   * does not. Symbolic dims are never broadcast (probing ran at two batch sizes to be sure).
   */
  unbroadcast(grad: string, like: string, from: string): string {
    const target = this.facts.shape(like);
    const source = this.facts.shape(from);
    const lead = source.length - target.length;
    if (lead < 0) throw new GlassboxError('internal', `cannot unbroadcast "${from}" (rank ${source.length}) to "${like}" (rank ${target.length})`);
    const axes: number[] = [];
    for (let i = 0; i < source.length; i++) {
      if (i < lead) axes.push(i);
      else if (isOne(target[i - lead]) && !isOne(source[i]!)) axes.push(i);
    }
    if (axes.length === 0) return grad;
    const summed = this.op('ReduceSum', [grad, this.ints(axes)], { keepdims: 1 })[0]!;
    return lead === 0 ? summed : this.op('Reshape', [summed, this.shapeOf(like)])[0]!;
  }
}

function isOne(d: Dim | undefined): boolean {
  return d === 1;
}

/** The GradContext of one forward node. */
export function contextFor(
  node: Node,
  opset: number,
  emitter: Emitter,
  gradOutputs: (string | undefined)[],
  needed: (i: number) => boolean,
): GradContext {
  const facts = emitter.facts;
  return {
    node,
    opset,
    I: (i) => node.inputs[i] ?? '',
    O: (i) => node.outputs[i] ?? '',
    GO: (i) => gradOutputs[i],
    needs: (i) => needed(i),
    dtype: (name) => facts.dtype(name),
    rank: (name) => facts.rank(name),
    shape: (name) => facts.shape(name),
    constantValue: (name) => emitter.constantValue(name),
    op: (opType, inputs, attributes) => emitter.op(opType, inputs, attributes)[0]!,
    ops: (opType, inputs, attributes, outputs) => emitter.op(opType, inputs, attributes, outputs),
    ints: (values, shape) => emitter.ints(values, shape),
    scalar: (value, like) => emitter.scalar(value, facts.dtype(like)),
    constant: (tensor, hint) => emitter.constant(tensor, hint),
    shapeOf: (name) => emitter.shapeOf(name),
    unbroadcast: (grad, like) => emitter.unbroadcast(grad, like, node.outputs[0]!),
  };
}
