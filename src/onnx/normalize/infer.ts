import { dtypeFromOnnx, dtypeToOnnx, type DType } from '../../tensor/dtype.js';
import type { Graph, Producer } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { protoDims } from '../ir/tensor-proto.js';
import { constantValue } from './constant-value.js';

/** Ops whose first output has the element type of their first input. */
const SAME_TYPE = new Set([
  'Abs', 'Acos', 'Acosh', 'Add', 'Asin', 'Asinh', 'Atan', 'Atanh', 'AveragePool', 'BatchNormalization', 'Ceil', 'Celu',
  'Clip', 'Concat', 'Conv', 'ConvTranspose', 'Cos', 'Cosh', 'CumSum', 'DepthToSpace', 'Div', 'Dropout', 'Elu', 'Erf', 'Exp',
  'Expand', 'Flatten', 'Floor', 'Gather', 'GatherElements', 'GatherND', 'Gelu', 'Gemm', 'GlobalAveragePool', 'GlobalMaxPool',
  'GroupNormalization', 'HardSigmoid', 'HardSwish', 'Hardmax', 'Identity', 'InstanceNormalization', 'LRN', 'LayerNormalization',
  'LeakyRelu', 'Log', 'LogSoftmax', 'LpNormalization', 'MatMul', 'Max', 'MaxPool', 'Mean', 'Min', 'Mish', 'Mod', 'Mul', 'Neg',
  'PRelu', 'Pad', 'Pow', 'Reciprocal', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean',
  'ReduceMin', 'ReduceProd', 'ReduceSum', 'ReduceSumSquare', 'Relu', 'Reshape', 'Resize', 'Round', 'Selu', 'Shrink', 'Sigmoid',
  'Sign', 'Sin', 'Sinh', 'Slice', 'Softmax', 'Softplus', 'Softsign', 'SpaceToDepth', 'Split', 'Sqrt', 'Squeeze', 'Sub', 'Sum',
  'Tan', 'Tanh', 'ThresholdedRelu', 'Tile', 'Transpose', 'Unsqueeze', 'Upsample',
]);

/** Ops whose first output has the rank of their first input. */
const SAME_RANK = new Set([
  'Abs', 'Acos', 'Asin', 'Atan', 'AveragePool', 'BatchNormalization', 'Cast', 'CastLike', 'Ceil', 'Celu', 'Clip', 'Concat',
  'Conv', 'ConvTranspose', 'Cos', 'CumSum', 'DepthToSpace', 'Dropout', 'Elu', 'Erf', 'Exp', 'Floor', 'Gelu', 'GlobalAveragePool',
  'GlobalMaxPool', 'GroupNormalization', 'HardSigmoid', 'HardSwish', 'Hardmax', 'Identity', 'InstanceNormalization', 'LRN',
  'LayerNormalization', 'LeakyRelu', 'Log', 'LogSoftmax', 'LpNormalization', 'MaxPool', 'Mish', 'Neg', 'Not', 'Pad', 'Reciprocal',
  'Relu', 'Resize', 'Round', 'Selu', 'Shrink', 'Sigmoid', 'Sign', 'Sin', 'Slice', 'Softmax', 'Softplus', 'Softsign',
  'SpaceToDepth', 'Split', 'Sqrt', 'Tan', 'Tanh', 'ThresholdedRelu', 'Tile', 'Upsample',
]);

/** Elementwise ops with multidirectional broadcasting: rank is the largest input rank. */
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mean', 'Sum', 'Mod', 'PRelu', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Where', 'BitShift']);

const BOOL_OUT = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'IsNaN', 'IsInf']);
const INT64_OUT = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'NonMaxSuppression']);

/**
 * Element types and ranks of values, from declarations (inputs, value_info, initializers) and
 * from a few ops whose rules are unambiguous. Only what is certain is reported: a wrong answer
 * would make a rewrite change what the model computes, so anything unclear is `undefined`.
 */
export class TypeFacts {
  private producerMap?: Map<string, Producer>;
  private readonly ranks = new Map<string, number | undefined>();

  constructor(private readonly graph: Graph, private readonly outer?: TypeFacts) {}

  /** Forget derived facts (call after the graph changed). */
  invalidate(): void {
    this.producerMap = undefined;
    this.ranks.clear();
  }

  dtype(name: string): DType | undefined {
    const code = this.elemType(name);
    return code === undefined ? undefined : dtypeFromOnnx(code);
  }

  elemType(start: string): number | undefined {
    let name = start;
    // Follow first inputs through type-preserving ops (a loop: chains can be thousands of nodes long).
    for (let guard = 0; guard < 100_000; guard++) {
      const declared = this.declared(name);
      if (declared !== undefined) return declared.elemType;
      const producer = this.producers().get(name);
      if (!producer) return this.outer?.elemType(name);
      const node = producer.node;
      if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
      const fixed = fixedOutputType(node, producer.index);
      if (fixed !== null) return fixed;
      const from = typeSource(node);
      if (!from) return undefined;
      if ((node.opType === 'Dropout' || node.opType === 'BatchNormalization') && producer.index > 0) return undefined;
      name = from;
    }
    return undefined;
  }

  rank(name: string, depth = 0): number | undefined {
    if (this.ranks.has(name)) return this.ranks.get(name);
    const rank = depth > 500 ? undefined : this.computeRank(name, depth);
    if (depth <= 500) this.ranks.set(name, rank);
    return rank;
  }

  private computeRank(name: string, depth: number): number | undefined {
    const declared = this.declared(name);
    if (declared !== undefined) return declared.rank;
    const producer = this.producers().get(name);
    if (!producer) return this.outer?.rank(name);
    const node = producer.node;
    if ((node.domain !== '' && node.domain !== 'ai.onnx') || producer.index > 0 && node.opType !== 'Split') return undefined;
    const r = (i: number): number | undefined => (node.inputs[i] ? this.rank(node.inputs[i]!, depth + 1) : undefined);
    const op = node.opType;
    if (SAME_RANK.has(op)) return r(0);
    if (BROADCAST.has(op)) {
      const ranks = node.inputs.map((_, i) => r(i));
      return ranks.every((x) => x !== undefined) ? Math.max(...(ranks as number[])) : undefined;
    }
    switch (op) {
      case 'Constant': return constantValue.ofNode(node)?.rank;
      case 'Shape': return 1;
      case 'Size': return 0;
      case 'Flatten': case 'Gemm': return 2;
      case 'Transpose': return node.has('perm') ? node.ints('perm').length : r(0);
      case 'MatMul': {
        const a = r(0); const b = r(1);
        if (a === undefined || b === undefined) return undefined;
        if (a >= 2 && b >= 2) return Math.max(a, b);
        return a + b - 2;
      }
      case 'Gather': {
        const a = r(0); const b = r(1);
        return a === undefined || b === undefined ? undefined : a - 1 + b;
      }
      case 'Squeeze': case 'Unsqueeze': {
        const axes = this.axes(node);
        const a = r(0);
        if (a === undefined || axes === undefined) return undefined;
        return op === 'Unsqueeze' ? a + axes.length : axes.length === 0 ? undefined : a - axes.length;
      }
      case 'Reshape': {
        const shape = node.inputs[1] ? this.constantDims(node.inputs[1]) : undefined;
        return shape?.length === 1 ? shape[0] : undefined;
      }
      default:
        // Reductions that keep their dims keep the rank (keepdims defaults to 1).
        return op.startsWith('Reduce') && node.int('keepdims', 1) === 1 ? r(0) : undefined;
    }
  }

  /** Axes given as attribute or as a constant second input. */
  private axes(node: Node): number[] | undefined {
    if (node.has('axes')) return node.ints('axes');
    const name = node.inputs[1];
    if (!name) return undefined;
    const init = this.graph.initializers.get(name);
    const value = init ? constantValue.ofInitializer(init) : undefined;
    return value && value.dtype !== 'string' ? value.toNumbers() : undefined;
  }

  /** The static length of a 1-D constant (the rank a Reshape to it produces). */
  private constantDims(name: string): number[] | undefined {
    const init = this.graph.initializers.get(name);
    if (init) return protoDims(init);
    const producer = this.producers().get(name);
    if (producer?.node.opType === 'Constant') return constantValue.ofNode(producer.node)?.shape.slice();
    return undefined;
  }

  private declared(name: string): { elemType?: number; rank?: number } | undefined {
    const init = this.graph.initializers.get(name);
    if (init) return { elemType: init.data_type ?? undefined, rank: protoDims(init).length };
    const info = this.graph.typeOf(name);
    if (info && (info.elemType !== undefined || info.shape !== undefined)) return { elemType: info.elemType, rank: info.shape?.length };
    return undefined;
  }

  private producers(): Map<string, Producer> {
    this.producerMap ??= this.graph.producers();
    return this.producerMap;
  }
}

/** Output element types fixed by the op itself; null when the op passes a type through. */
function fixedOutputType(node: Node, index: number): number | undefined | null {
  const op = node.opType;
  if (op === 'Cast') return node.int('to', 0) || undefined;
  if (op === 'Constant') {
    const value = constantValue.ofNode(node);
    return value ? dtypeToOnnx(value.dtype) : undefined;
  }
  if (BOOL_OUT.has(op)) return 9;
  if (INT64_OUT.has(op)) return 7;
  if (op === 'TopK') return index === 1 ? 7 : null;
  return null;
}

/** The input whose element type the first output takes. */
function typeSource(node: Node): string | undefined {
  if (node.opType === 'Where' || node.opType === 'CastLike') return node.inputs[1] || undefined;
  return SAME_TYPE.has(node.opType) ? node.inputs[0] || undefined : undefined;
}
