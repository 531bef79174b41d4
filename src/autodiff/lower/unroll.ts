import { Tensor } from '../../tensor/tensor.js';
import type { Dim } from '../../onnx/ir/value.js';
import type { Activation } from './activations.js';
import type { LowerEmitter } from './emitter.js';
import { GATES, type RecurrentSpec } from './spec.js';

/** One direction's slices of the node's inputs (the direction axis removed). */
export interface DirectionInputs {
  /** [G·H, input] */
  W: string;
  /** [G·H, H] */
  R: string;
  /** [2·G·H]: Wb then Rb. */
  B: string | undefined;
  /** LSTM peepholes [3·H] (i, o, f). */
  P: string | undefined;
  acts: Activation[];
}

/** The recurrent state between steps; undefined stands for zeros (no initial state given). */
export interface State {
  h: string | undefined;
  c: string | undefined;
}

/** What an op contributes: the bias folded into the hoisted projection, and one time step. */
export interface Cell {
  /** Added to X·Wᵀ for all steps at once ([G·H]); the rest of B is used by `step`. */
  hoistedBias: string | undefined;
  /** How each step's slice of X·Wᵀ + bias is cut along the gate axis (sizes summing to G·H). */
  parts: number[];
  /** Given the step's parts of X_t·Wᵀ + hoisted bias ([batch, size] each) and the previous state, the new state. */
  step(xw: string[], state: State): { h: string; c?: string };
}

export type CellFactory = (e: LowerEmitter, spec: RecurrentSpec, dir: DirectionInputs) => Cell;

/** Clip(x, -clip, clip) when the node has a clip, applied to every activation's input. */
export function clipped(e: LowerEmitter, spec: RecurrentSpec, x: string, shape: Dim[]): string {
  return spec.clip === undefined ? x : e.op('Clip', [x, e.scalar(-spec.clip), e.scalar(spec.clip)], undefined, shape);
}

/** Wb + Rb of one direction's bias [2·n] → [n]. */
export function sumHalves(e: LowerEmitter, b: string, n: number): string {
  const [wb, rb] = e.split(b, 0, [n, n], [[n], [n]]);
  return e.op('Add', [wb!, rb!], undefined, [n]);
}

/**
 * Writes the unrolled computation of `spec`; the node's consumed outputs are produced under their
 * original names. Few nodes per step, since onnxruntime's cost per node dominates small steps:
 *
 *  - X·Wᵀ (+ the bias that does not depend on the state) for every step at once: X as
 *    [batch·seq, input] (batch-major: layout 0 transposes X once), one Gemm per direction,
 *    reshaped to [batch, seq·G·H] and cut by one Split straight into the 2-D per-step pieces
 *    the cells use (GRU's [z r] and h parts included);
 *  - per step only the recurrent product (a Gemm that also adds the step's projection) and the
 *    gate arithmetic of the op;
 *  - reverse directions walk the positions from last to first;
 *  - Y is one Concat of every step's [batch, H] along axis 1, one Reshape to [batch, seq, dirs, H]
 *    (and for layout 0 one Transpose to [seq, dirs, batch, H]);
 *  - with sequence_lens, position p of batch row b is valid when p < len[b] (one Less and one
 *    Split give every step's [batch, 1] mask): invalid positions keep the state (Where), and Y is
 *    zeroed there by one Where, so Y_h/Y_c hold the state at the last valid step, and a reverse
 *    direction starts at len[b] − 1, as onnxruntime computes it. A row of length 0 gets zero
 *    Y_h/Y_c (onnxruntime's behaviour) even when an initial state is given.
 */
export function unroll(e: LowerEmitter, spec: RecurrentSpec, makeCell: CellFactory): void {
  const H = spec.hidden;
  const G = GATES[spec.op];
  const T = spec.seq;
  const dirs = spec.directions.length;
  const layout = spec.layout;
  const batch = spec.batch;
  const rows = (n: number): Dim[] => [batch, n];

  const perDirection = (value: string | undefined, axis: number, shape: Dim[]): (string | undefined)[] => {
    if (!value) return spec.directions.map(() => undefined);
    if (dirs === 1) return [e.op('Squeeze', [value, e.ints([axis])], undefined, shape)];
    const withAxis = [...shape];
    withAxis.splice(axis, 0, 1);
    return e.split(value, axis, [1, 1], [withAxis, withAxis]).map((part) => e.op('Squeeze', [part, e.ints([axis])], undefined, shape));
  };
  const I = spec.inputSize;
  const Ws = perDirection(spec.W, 0, [G * H, I]);
  const Rs = perDirection(spec.R, 0, [G * H, H]);
  const Bs = perDirection(spec.B, 0, [2 * G * H]);
  const Ps = perDirection(spec.P, 0, [3 * H]);
  const stateAxis = layout === 0 ? 0 : 1;
  const h0s = perDirection(spec.initialH, stateAxis, rows(H));
  const c0s = perDirection(spec.initialC, stateAxis, rows(H));

  // X batch-major, [batch, seq, input], and flat, [batch·seq, input].
  const Xb = layout === 0 ? e.op('Transpose', [spec.X], { perm: [1, 0, 2] }, [batch, T, I]) : spec.X;
  const bt: Dim = typeof batch === 'number' ? T * batch : null;
  const X2 = I === null ? undefined : e.op('Reshape', [Xb, e.ints([-1, I])], undefined, [bt, I]);

  const zero = e.scalar(0);
  // valid[b, p] = p < len[b], and its columns as [batch, 1] step masks.
  let valid: string | undefined;
  let masks: string[] = [];
  if (spec.seqLens) {
    const positions = e.constantTensor(new Tensor('int32', [1, T], Int32Array.from({ length: T }, (_, p) => p)), 'positions');
    const lens = e.op('Unsqueeze', [spec.seqLens, e.ints([1])], undefined, rows(1), { dtype: 'int32' });
    valid = e.op('Less', [positions, lens], undefined, rows(T), { dtype: 'bool' });
    masks = e.split(valid, 1, Array<number>(T).fill(1), Array.from({ length: T }, () => rows(1)), 'bool');
  }

  const ys: string[][] = [];
  const finals: State[] = [];
  spec.directions.forEach((direction, d) => {
    const cell = makeCell(e, spec, { W: Ws[d]!, R: Rs[d]!, B: Bs[d], P: Ps[d], acts: spec.acts[d]! });
    let xw: string;
    if (X2) {
      xw = e.op('Gemm', [X2, Ws[d], cell.hoistedBias], { transB: 1 }, [bt, G * H]);
    } else {
      // Input size unknown statically: a batched MatMul with Wᵀ instead of the flat Gemm.
      const wt = e.op('Transpose', [Ws[d]], { perm: [1, 0] }, [I, G * H]);
      const product = e.op('MatMul', [Xb, wt], undefined, [batch, T, G * H]);
      xw = cell.hoistedBias ? e.op('Add', [product, cell.hoistedBias], undefined, [batch, T, G * H]) : product;
    }
    const flat = e.op('Reshape', [xw, e.ints([-1, T * G * H])], undefined, rows(T * G * H));
    const k = cell.parts.length;
    const sizes = Array.from({ length: T }, () => cell.parts).flat();
    const pieces = e.split(flat, 1, sizes, sizes.map(rows));
    const xs = Array.from({ length: T }, (_, p) => pieces.slice(p * k, (p + 1) * k));

    const positions = Array.from({ length: T }, (_, t) => (direction === 'forward' ? t : T - 1 - t));
    let state: State = { h: h0s[d], c: c0s[d] };
    const out: string[] = new Array<string>(T);
    for (const p of positions) {
      const next = cell.step(xs[p]!, state);
      // Y at p is the new hidden state; past a sequence's end it is zeroed once, at the end.
      out[p] = next.h;
      if (!spec.seqLens) {
        state = { h: next.h, c: next.c };
        continue;
      }
      const keep = (value: string, previous: string | undefined): string => e.op('Where', [masks[p]!, value, previous ?? zero], undefined, rows(H));
      state = { h: keep(next.h, state.h), c: next.c === undefined ? undefined : keep(next.c, state.c) };
    }
    if (spec.seqLens) {
      // onnxruntime zeroes Y_h and Y_c of empty sequences rather than returning the initial state.
      const empty = (value: string | undefined, initial: string | undefined): string | undefined =>
        value !== undefined && initial !== undefined ? e.op('Where', [masks[0]!, value, zero], undefined, rows(H)) : value;
      if (spec.Yh) state = { ...state, h: empty(state.h, h0s[d]) };
      if (spec.Yc) state = { ...state, c: empty(state.c, c0s[d]) };
    }
    ys.push(out);
    finals.push(state);
  });

  if (spec.Y) {
    const steps = Array.from({ length: T }, (_, p) => ys.map((out) => out[p]!)).flat();
    const cat = steps.length === 1 ? steps[0]! : e.op('Concat', steps, { axis: 1 }, rows(T * dirs * H));
    const named = (last: boolean) => (last ? { name: spec.Y! } : {});
    const final = layout === 1 && !valid;
    let y = e.op('Reshape', [cat, e.ints([-1, T, dirs, H])], undefined, [batch, T, dirs, H], named(final));
    if (valid) {
      const mask = e.op('Unsqueeze', [valid, e.ints([2, 3])], undefined, [batch, T, 1, 1], { dtype: 'bool' });
      y = e.op('Where', [mask, y, zero], undefined, [batch, T, dirs, H], named(layout === 1));
    }
    if (layout === 0) e.op('Transpose', [y], { perm: [1, 2, 0, 3] }, [T, dirs, batch, H], named(true));
  }
  const finalOut = (values: (string | undefined)[], name: string | undefined): void => {
    if (!name) return;
    const axis = layout === 0 ? 0 : 1;
    const one: Dim[] = layout === 0 ? [1, batch, H] : [batch, 1, H];
    const full: Dim[] = layout === 0 ? [dirs, batch, H] : [batch, dirs, H];
    // Every direction took at least one step, so its final state exists.
    stack(e, values.map((v) => v!), [axis], axis, one, full, name);
  };
  finalOut(finals.map((s) => s.h), spec.Yh);
  finalOut(finals.map((s) => s.c), spec.Yc);
}

/** Unsqueeze each value at `axes` and concatenate along `axis` (the last node named `name`). */
function stack(e: LowerEmitter, values: string[], axes: number[], axis: number, partShape: Dim[], shape: Dim[], name: string | undefined): string {
  const opts = name ? { name } : {};
  if (values.length === 1) return e.op('Unsqueeze', [values[0], e.ints(axes)], undefined, partShape, opts);
  const parts = values.map((v) => e.op('Unsqueeze', [v, e.ints(axes)], undefined, partShape));
  return e.op('Concat', parts, { axis }, shape, opts);
}
