import type { Node } from '../ir/node.js';
import type { Dim } from '../ir/value.js';
import type { SymbolTable } from './symbolic.js';

/**
 * The contents of a small tensor (at most maxValueElements elements), row-major, element by
 * element: the shape arithmetic that exporters do at run time (Shape -> Gather -> Concat ->
 * Reshape, or the pads of F.pad: Concat -> Reshape -> Slice -> Transpose) is followed through
 * these. Elements are numbers, symbolic dims, or null when only that element is unknown.
 */
export interface KnownValue {
  /** Static shape of the tensor ([] for a scalar). */
  shape: number[];
  values: Dim[];
}

/** What is known about one value. */
export interface ValueType {
  /** ONNX element-type code. */
  elemType?: number;
  /** undefined when even the rank is unknown. */
  shape?: Dim[];
  value?: KnownValue;
  /** Why the shape is missing, when a rule knows (reported for unknown values). */
  reason?: string;
}

/** Why a value stayed unknown: the node whose rule gave up, and its reason. */
export interface Cause {
  node: string;
  opType: string;
  reason: string;
}

export interface RuleContext {
  readonly node: Node;
  /** ai.onnx opset of the model (attribute defaults changed across versions). */
  readonly opset: number;
  readonly sym: SymbolTable;
  /** Whether input i is given (not omitted, not ''). */
  has(i: number): boolean;
  /** Input i's type; {} when given but unknown, undefined when omitted. */
  input(i: number): ValueType | undefined;
  shape(i: number): Dim[] | undefined;
  elemType(i: number): number | undefined;
  value(i: number): KnownValue | undefined;
  /**
   * An integer list that opsets give as attribute `attr` or as input `i` (axes, pads, split,
   * starts...). undefined: given neither way; null: given as an input whose value is unknown.
   */
  ints(attr: string, i: number): number[] | null | undefined;
  /** The largest known value kept (elements). */
  readonly maxValueElements: number;
}

/** A rule computes what it can for each output; missing entries and fields stay unknown. */
export type Rule = (ctx: RuleContext) => (ValueType | undefined)[];

export type RuleTable = Record<string, Rule>;

/** Thrown by a rule that cannot go on; the message becomes the reason in the report. */
export class ShapeUnknown extends Error {}

export function unknown(reason: string): never {
  throw new ShapeUnknown(reason);
}

export interface ValueReport {
  name: string;
  /** inferred: the rank (and so the shape, possibly with unknown dims) is known. */
  status: 'inferred' | 'declared' | 'unknown';
  elemType?: number;
  shape?: Dim[];
  /** For values without a known rank: the node that stopped inference, and why. */
  stoppedAt?: Cause;
}

export interface ShapeReport {
  /** Every node output, in graph order. */
  values: ValueReport[];
  /** Node outputs whose rank is known, whose every dim is a number, and their total. */
  knownRank: number;
  fullyStatic: number;
  total: number;
  /** Op types without a shape rule that appear in the graph. */
  unsupportedOps: string[];
  /** Derived dim names and their meaning (evaluate() gives their values for given inputs). */
  symbols: SymbolTable;
}
