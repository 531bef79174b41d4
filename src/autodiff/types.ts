import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AttributeInput } from '../onnx/ir/attribute.js';
import type { Node } from '../onnx/ir/node.js';
import type { Dim } from '../onnx/ir/value.js';

/**
 * What a gradient rule sees and how it writes backward nodes. The vocabulary follows
 * onnxruntime's gradient builder: I(i)/O(i) are the forward node's input/output values,
 * GO(i) the gradient arriving at output i. Every node a rule emits is named
 * `<forward node>_Grad/...`, and only standard ONNX ops may be emitted.
 */
export interface GradContext {
  readonly node: Node;
  /** ai.onnx opset of the graph being differentiated (the canonical form: 21). */
  readonly opset: number;
  /** Forward input i ('' when an optional input is omitted). */
  I(i: number): string;
  /** Forward output i (saved outputs the rule asked for are present). */
  O(i: number): string;
  /** Gradient arriving at output i, or undefined when no gradient reaches it (it is zero). */
  GO(i: number): string | undefined;
  /** Whether the gradient of input i is wanted (it lies on a path from a `wrt` value). */
  needs(i: number): boolean;

  /** Static facts about values (from shape inference / probing). */
  dtype(name: string): DType;
  rank(name: string): number;
  /** Dims: numbers when static, symbols or null when they vary at run time. */
  shape(name: string): Dim[];
  /**
   * The value of a constant input (an initializer that is not a graph input), so rules can take
   * fast paths for constant axes, pads, steps or exponents; undefined when it may vary.
   */
  constantValue(name: string): Tensor | undefined;

  /** Emits one node and returns its output name. */
  op(opType: string, inputs: (string | undefined)[], attributes?: Record<string, AttributeInput | undefined>): string;
  /** Emits one node with several outputs. */
  ops(opType: string, inputs: (string | undefined)[], attributes: Record<string, AttributeInput | undefined> | undefined, outputs: number): string[];
  /** A constant int64 tensor (1-D by default; shape [] for a scalar). Shared across rules. */
  ints(values: readonly number[], shape?: readonly number[]): string;
  /** A scalar (or given-shape) constant of `like`'s element type. */
  scalar(value: number, like: string): string;
  /** Any constant tensor. */
  constant(tensor: Tensor, hint?: string): string;
  /** Shape(name), emitted once per value. */
  shapeOf(name: string): string;
  /** Reduces a gradient that was broadcast to `grad`'s shape back to the shape of `like`. */
  unbroadcast(grad: string, like: string): string;
}

/** Gradients for the forward inputs, one entry per input: a value name, or undefined for none. */
export type InputGradients = (string | undefined)[];

export interface GradientRule {
  /** The ONNX op type this rule differentiates. */
  readonly op: string;
  /**
   * Optional outputs the forward node must produce for the rule (MaxPool's Indices,
   * LayerNormalization's Mean and InvStdDev). The builder switches them on.
   */
  readonly savedOutputs?: (node: Node) => readonly number[];
  /** Inputs through which no gradient ever flows (shape, axes, indices inputs). */
  readonly nonDifferentiableInputs?: readonly number[];
  /** Emits the backward nodes. Called only when at least one input gradient is needed. */
  grad(ctx: GradContext): InputGradients;
}
