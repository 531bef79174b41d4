import { expect } from 'vitest';
import { lowerRecurrent, type LowerRecurrentOptions } from '../../../../src/autodiff/lower/index.js';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { Node } from '../../../../src/onnx/ir/node.js';
import type { Dim } from '../../../../src/onnx/ir/value.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import { validateModel } from '../../../../src/onnx/validate.js';
import type { Feeds } from '../../../../src/runtime/feeds.js';
import { Session } from '../../../../src/runtime/session.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { maxAbsDiff } from '../../../helpers/compare.js';

export type RecurrentOp = 'LSTM' | 'GRU' | 'RNN';

/** One fused recurrent node to build, run in onnxruntime, lower and compare. */
export interface RecurrentCase {
  op: RecurrentOp;
  seq?: number;
  batch?: number;
  input?: number;
  hidden?: number;
  direction?: 'forward' | 'reverse' | 'bidirectional';
  layout?: 0 | 1;
  bias?: boolean;
  initialH?: boolean;
  initialC?: boolean;
  peephole?: boolean;
  /** sequence_lens values (one per batch row). */
  seqLens?: number[];
  /** sequence_lens as an initializer rather than a fed input. */
  seqLensConstant?: boolean;
  clip?: number;
  activations?: string[];
  alpha?: number[];
  beta?: number[];
  linearBeforeReset?: number;
  inputForget?: number;
  /** Which outputs the graph exposes (default all the op has). */
  outputs?: ('Y' | 'Y_h' | 'Y_c')[];
  /** Weights (W, R, B, P) as initializers (default) or fed graph inputs. */
  weights?: 'initializers' | 'inputs';
  /** Declare X's seq and batch dims symbolically ('seq', 'batch'): unrolling then needs sequenceLength. */
  symbolic?: boolean;
  /** Scale of the random weights and inputs (default 1). */
  scale?: number;
  seed?: number;
  dtype?: 'float32' | 'float64';
}

export interface Built {
  /** The model with the fused node in `c.layout`. */
  fused: Model;
  /** A layout-0 equivalent that onnxruntime can run (Transposes around the node for layout 1). */
  reference: Model;
  feeds: Feeds;
  outputs: string[];
}

const GATES: Record<RecurrentOp, number> = { LSTM: 4, GRU: 3, RNN: 1 };

function random(shape: number[], rng: Random, scale: number, dtype: 'float32' | 'float64'): Tensor {
  const t = Tensor.zeros(dtype, shape);
  const data = t.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-scale, scale);
  return t;
}

/** Builds the fused model (and its layout-0 reference) with random weights and feeds. */
export function buildCase(c: RecurrentCase): Built {
  const dtype = c.dtype ?? 'float32';
  const T = c.seq ?? 4;
  const N = c.batch ?? 3;
  const I = c.input ?? 5;
  const H = c.hidden ?? 4;
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const G = GATES[c.op];
  const layout = c.layout ?? 0;
  const rng = new Random(c.seed ?? 1234);
  const scale = c.scale ?? 1;
  const outputs = c.outputs ?? (c.op === 'LSTM' ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h']);
  const values: Record<string, Tensor> = {
    X: random(layout === 0 ? [T, N, I] : [N, T, I], rng, 1, dtype),
    W: random([D, G * H, I], rng, scale, dtype),
    R: random([D, G * H, H], rng, scale, dtype),
  };
  if (c.bias) values.B = random([D, 2 * G * H], rng, scale, dtype);
  if (c.peephole) values.P = random([D, 3 * H], rng, scale, dtype);
  if (c.initialH) values.initial_h = random(layout === 0 ? [D, N, H] : [N, D, H], rng, 1, dtype);
  if (c.initialC) values.initial_c = random(layout === 0 ? [D, N, H] : [N, D, H], rng, 1, dtype);
  const seqLens = c.seqLens ? new Tensor('int32', [N], Int32Array.from(c.seqLens)) : undefined;

  const attributes = {
    hidden_size: H,
    direction: c.direction,
    // Typed explicitly: a whole-number clip or alpha list would otherwise be written as ints.
    clip: c.clip === undefined ? undefined : { type: 'float' as const, value: c.clip },
    activations: c.activations,
    activation_alpha: c.alpha === undefined ? undefined : { type: 'floats' as const, value: c.alpha },
    activation_beta: c.beta === undefined ? undefined : { type: 'floats' as const, value: c.beta },
    linear_before_reset: c.linearBeforeReset,
    input_forget: c.inputForget,
  };
  const build = (nodeLayout: 0 | 1): { model: Model; feeds: Feeds } => {
    const b = new GraphBuilder();
    const feeds: Feeds = {};
    const dims = (shape: number[], symbolic: Dim[]): Dim[] => (c.symbolic ? symbolic : shape);
    const input = (name: string, symbolic: Dim[]): string => {
      const t = values[name]!;
      b.input(name, dtype, dims([...t.shape], symbolic));
      feeds[name] = t;
      return name;
    };
    const weight = (name: string): string | undefined => {
      if (!values[name]) return undefined;
      if (c.weights === 'inputs') return input(name, [...values[name]!.shape]);
      return b.weight(name, values[name]!);
    };
    const batchSym: Dim[] = layout === 0 ? ['seq', 'batch', I] : ['batch', 'seq', I];
    let X = input('X', batchSym);
    let h0 = values.initial_h ? input('initial_h', layout === 0 ? [D, 'batch', H] : ['batch', D, H]) : undefined;
    let c0 = values.initial_c ? input('initial_c', layout === 0 ? [D, 'batch', H] : ['batch', D, H]) : undefined;
    // The reference of a layout-1 node: the same layout-0 node between Transposes.
    const wrap = layout === 1 && nodeLayout === 0;
    if (wrap) {
      X = b.op('Transpose', [X], { perm: [1, 0, 2] });
      if (h0) h0 = b.op('Transpose', [h0], { perm: [1, 0, 2] });
      if (c0) c0 = b.op('Transpose', [c0], { perm: [1, 0, 2] });
    }
    let lens: string | undefined;
    if (seqLens) {
      if (c.seqLensConstant) lens = b.weight('sequence_lens', seqLens);
      else {
        b.input('sequence_lens', 'int32', c.symbolic ? ['batch'] : [N]);
        feeds.sequence_lens = seqLens;
        lens = 'sequence_lens';
      }
    }
    const inputs = [X, weight('W'), weight('R'), weight('B'), lens, h0];
    if (c.op === 'LSTM') inputs.push(c0, weight('P'));
    while (inputs.length > 3 && inputs[inputs.length - 1] === undefined) inputs.pop();
    const nOut = c.op === 'LSTM' ? 3 : 2;
    const names = ['Y', 'Y_h', 'Y_c'].slice(0, nOut).map((n) => (outputs.includes(n as 'Y') ? (wrap ? `${n}_0` : n) : ''));
    while (names.length > 1 && names[names.length - 1] === '') names.pop();
    b.graph.nodes.push(new Node({ opType: c.op, inputs: inputs.map((i) => i ?? ''), outputs: names, name: `${c.op.toLowerCase()}_node`, attributes: { ...attributes, ...(nodeLayout ? { layout: 1 } : {}) } }));
    for (const n of outputs) {
      if (wrap) b.op('Transpose', [`${n}_0`], { perm: n === 'Y' ? [2, 0, 1, 3] : [1, 0, 2] }, { outputs: [n] });
      b.output(n);
    }
    const model = b.model({ opset: 21 });
    inferShapes(model);
    return { model, feeds };
  };
  const fused = build(layout);
  const reference = layout === 1 ? build(0) : fused;
  return { fused: fused.model, reference: reference.model, feeds: fused.feeds, outputs };
}

export async function run(model: Model, feeds: Feeds, outputs: string[]): Promise<Record<string, Tensor>> {
  const session = await Session.create(model);
  try {
    return await session.run(feeds, { outputs });
  } finally {
    await session.release();
  }
}

/** The op types of a model's nodes. */
export function opTypes(model: Model): string[] {
  return model.graph.nodes.map((n) => n.opType);
}

/**
 * Builds the case, runs the fused node in onnxruntime and the lowered graph, and requires every
 * output to agree to `tolerance` (max |diff|). Returns the worst difference.
 */
export async function expectLoweredMatches(c: RecurrentCase, options: LowerRecurrentOptions = {}, tolerance = 1e-5): Promise<number> {
  const { fused, reference, feeds, outputs } = buildCase(c);
  const lowered = lowerRecurrent(fused, c.symbolic ? { sequenceLength: c.seq ?? 4, ...options } : options);
  validateModel(lowered, 'lowered model');
  expect(opTypes(lowered).filter((t) => t === 'LSTM' || t === 'GRU' || t === 'RNN')).toEqual([]);
  const want = await run(reference, feeds, outputs);
  const got = await run(lowered, feeds, outputs);
  let worst = 0;
  for (const name of outputs) {
    expect(got[name]!.shape, name).toEqual(want[name]!.shape);
    const diff = maxAbsDiff(got[name]!, want[name]!);
    expect(diff, `${name}: max |lowered − onnxruntime|`).toBeLessThanOrEqual(tolerance);
    worst = Math.max(worst, diff);
  }
  return worst;
}
