import { GlassboxError } from '../../util/errors.js';
import { dtypeFromOnnx, type DType } from '../../tensor/dtype.js';
import { tensorFromProto } from '../../onnx/ir/tensor-proto.js';
import type { Graph } from '../../onnx/ir/graph.js';
import type { Node } from '../../onnx/ir/node.js';
import type { Dim } from '../../onnx/ir/value.js';
import { ValueFacts } from '../values.js';
import { parseActivations, type Activation } from './activations.js';

export type RecurrentOp = 'LSTM' | 'GRU' | 'RNN';

/** Gate blocks stacked in W, R and each half of B: LSTM iofc, GRU zrh, RNN one. */
export const GATES: Record<RecurrentOp, number> = { LSTM: 4, GRU: 3, RNN: 1 };

/** Everything the unrolling needs to know about one LSTM/GRU/RNN node, read and checked once. */
export interface RecurrentSpec {
  node: Node;
  op: RecurrentOp;
  dtype: DType;
  /** 0: X is [seq, batch, input]; 1: [batch, seq, input]. */
  layout: 0 | 1;
  /** One entry per direction, in output order. */
  directions: ('forward' | 'reverse')[];
  hidden: number;
  /** The input size, when known statically. */
  inputSize: number | null;
  /** The unrolled sequence length. */
  seq: number;
  batch: Dim;
  clip: number | undefined;
  /** Activations per direction: LSTM [f, g, h], GRU [f, g], RNN [f]. */
  acts: Activation[][];
  linearBeforeReset: boolean;
  inputForget: boolean;
  X: string;
  W: string;
  R: string;
  B: string | undefined;
  /** sequence_lens, unless absent or a constant equal to the sequence length everywhere. */
  seqLens: string | undefined;
  initialH: string | undefined;
  initialC: string | undefined;
  P: string | undefined;
  /** The outputs something reads (a node or the graph's outputs); others are not computed. */
  Y: string | undefined;
  Yh: string | undefined;
  Yc: string | undefined;
}

export interface SpecOptions {
  sequenceLength?: number;
  /** Values that must stay connected (gradient targets): never folded away as constant zeros. */
  keep?: ReadonlySet<string>;
}

/** Reads and checks a recurrent node; `used` says which values something consumes. */
export function readSpec(graph: Graph, node: Node, facts: ValueFacts, used: ReadonlySet<string>, options: SpecOptions): RecurrentSpec {
  const op = node.opType as RecurrentOp;
  const label = node.describe();
  const fail = (message: string): never => {
    throw new GlassboxError('unsupported-op', `cannot unroll ${label}: ${message}`);
  };
  const X = node.input(0) ?? fail('it has no input X');
  const W = node.input(1) ?? fail('it has no input W');
  const R = node.input(2) ?? fail('it has no input R');

  const layout = node.int('layout', 0);
  if (layout !== 0 && layout !== 1) fail(`layout ${layout} is not 0 or 1`);
  const direction = node.has('direction') ? node.string('direction') : 'forward';
  const directions: ('forward' | 'reverse')[] = direction === 'bidirectional' ? ['forward', 'reverse'] : direction === 'forward' || direction === 'reverse' ? [direction] : fail(`unknown direction "${direction}"`);

  const dtype = elementType(facts, X) ?? elementType(facts, W) ?? fail(`the element type of "${X}" is unknown; infer shapes first`);
  if (dtype !== 'float32' && dtype !== 'float64') fail(`${dtype} recurrent nodes are not supported (float32 and float64 are)`);

  const xShape = facts.info(X)?.shape;
  const wShape = facts.info(W)?.shape;
  const rShape = facts.info(R)?.shape;
  const hidden = node.has('hidden_size') ? node.int('hidden_size') : rShape?.[2];
  if (typeof hidden !== 'number' || hidden <= 0) fail('its hidden size is unknown (no hidden_size attribute and no static shape for R)');
  const xi = xShape?.length === 3 ? xShape[2] : null;
  const wi = wShape?.length === 3 ? wShape[2] : null;
  const inputSize = typeof wi === 'number' ? wi : typeof xi === 'number' ? xi : null;

  const timeDim = xShape?.length === 3 ? xShape[layout === 0 ? 0 : 1]! : null;
  const batch: Dim = xShape?.length === 3 ? xShape[layout === 0 ? 1 : 0]! : null;
  let seq: number;
  if (typeof timeDim === 'number') {
    if (options.sequenceLength !== undefined && options.sequenceLength !== timeDim) fail(`its input "${X}" has ${timeDim} time steps, not the sequenceLength ${options.sequenceLength} asked for`);
    seq = timeDim;
  } else if (options.sequenceLength !== undefined) {
    seq = options.sequenceLength;
  } else {
    return fail(`the sequence length of "${X}" is ${timeDim === null ? 'unknown' : `symbolic ("${timeDim}")`}; pass sequenceLength to unroll it for one length`);
  }
  if (!Number.isInteger(seq) || seq < 1) fail(`sequence length ${seq} is not a positive integer`);

  const clip = node.has('clip') ? node.float('clip') : undefined;
  const keep = options.keep ?? new Set<string>();
  const seqLensInput = node.input(4);
  const output = (i: number): string | undefined => {
    const name = node.outputs[i];
    return name && used.has(name) ? name : undefined;
  };
  return {
    node,
    op,
    dtype,
    layout: layout as 0 | 1,
    directions,
    hidden: hidden as number,
    inputSize,
    seq,
    batch,
    // onnxruntime's RNN treats a negative clip as "no clip".
    clip: clip !== undefined && clip >= 0 ? clip : undefined,
    acts: parseActivations(node, directions.length),
    linearBeforeReset: op === 'GRU' && node.int('linear_before_reset', 0) !== 0,
    inputForget: op === 'LSTM' && node.int('input_forget', 0) !== 0,
    X,
    W,
    R,
    B: node.input(3),
    seqLens: seqLensInput && !constantEquals(graph, seqLensInput, seq) ? seqLensInput : undefined,
    initialH: nonZero(graph, node.input(5), keep),
    initialC: op === 'LSTM' ? nonZero(graph, node.input(6), keep) : undefined,
    P: op === 'LSTM' ? node.input(7) : undefined,
    Y: output(0),
    Yh: output(1),
    Yc: op === 'LSTM' ? output(2) : undefined,
  };
}

function elementType(facts: ValueFacts, name: string): DType | undefined {
  const code = facts.info(name)?.elemType;
  return code === undefined ? undefined : dtypeFromOnnx(code);
}

/** Whether `name` is a constant (an initializer nobody can override) with every value `value`. */
function constantEquals(graph: Graph, name: string, value: number): boolean {
  const proto = graph.initializers.get(name);
  if (!proto || graph.inputs.some((v) => v.name === name)) return false;
  try {
    return tensorFromProto(proto).toNumbers().every((v) => v === value);
  } catch {
    return false;
  }
}

/**
 * `name` unless it is known to be all zeros (a zero initializer, or ConstantOfShape of zero, the
 * way PyTorch exports default states): then the first step can skip the recurrent product.
 */
function nonZero(graph: Graph, name: string | undefined, keep: ReadonlySet<string>): string | undefined {
  if (!name || keep.has(name)) return name;
  if (constantEquals(graph, name, 0)) return undefined;
  const producer = graph.nodes.find((n) => n.outputs.includes(name));
  if (producer?.opType === 'ConstantOfShape' && producer.domain === '') {
    const value = producer.tensor('value');
    try {
      if (!value || tensorFromProto(value).toNumbers().every((v) => v === 0)) return undefined;
    } catch {
      return name;
    }
  }
  return name;
}
