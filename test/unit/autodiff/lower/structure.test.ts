import { describe, expect, it } from 'vitest';
import { NON_DIFFERENTIABLE_OPS } from '../../../../src/autodiff/coverage.js';
import { lowerRecurrent } from '../../../../src/autodiff/lower/index.js';
import { hasRule } from '../../../../src/autodiff/rules/index.js';
import { cloneModel } from '../../../../src/onnx/edit/clone.js';
import { encodeModel, loadModel } from '../../../../src/onnx/io.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { inferShapes } from '../../../../src/onnx/shapes/index.js';
import { GlassboxError } from '../../../../src/util/errors.js';
import { fixturePath } from '../../../helpers/fixtures.js';
import { buildCase, opTypes, type RecurrentCase } from './helpers.js';

const count = (model: Model, op: string): number => opTypes(model).filter((t) => t === op).length;

/** Ops the lowering may emit: all have (or are planned to have) gradient rules, or carry none (Less). */
const ALLOWED = new Set([
  'Gemm', 'Add', 'Sub', 'Mul', 'Sigmoid', 'Tanh', 'Relu', 'Split', 'Squeeze', 'Unsqueeze', 'Concat', 'Reshape', 'Transpose', 'Where', 'Clip',
  'Less', 'LeakyRelu', 'ThresholdedRelu', 'HardSigmoid', 'Elu', 'Softsign', 'Softplus',
]);

function lowered(c: RecurrentCase): Model {
  return lowerRecurrent(buildCase(c).fused);
}

describe('lowerRecurrent: structure', () => {
  it('hoists X·Wᵀ: one projection Gemm per direction, then one recurrent Gemm per step (none at a zero first state)', () => {
    const T = 6;
    // LSTM, bidirectional, no initial state: 2 projections + 2·(T − 1) recurrent products.
    expect(count(lowered({ op: 'LSTM', seq: T, direction: 'bidirectional', bias: true }), 'Gemm')).toBe(2 + 2 * (T - 1));
    // With an initial state every step multiplies.
    expect(count(lowered({ op: 'LSTM', seq: T, bias: true, initialH: true, initialC: true }), 'Gemm')).toBe(1 + T);
    expect(count(lowered({ op: 'RNN', seq: T, direction: 'reverse', initialH: true }), 'Gemm')).toBe(1 + T);
    // GRU: [z r] and h products per step.
    expect(count(lowered({ op: 'GRU', seq: T, bias: true, initialH: true }), 'Gemm')).toBe(1 + 2 * T);
    expect(count(lowered({ op: 'GRU', seq: T, bias: true, initialH: true, linearBeforeReset: 1 }), 'Gemm')).toBe(1 + 2 * T);
    for (const op of ['LSTM', 'GRU', 'RNN'] as const) {
      // Layout 0 transposes X to batch-major once and Y back once; layout 1 needs neither.
      const m0 = lowered({ op, seq: T, direction: 'bidirectional', bias: true, initialH: true });
      expect([count(m0, 'MatMul'), count(m0, 'Transpose')], op).toEqual([0, 2]);
      const m1 = lowered({ op, seq: T, direction: 'bidirectional', bias: true, initialH: true, layout: 1 });
      expect([count(m1, 'MatMul'), count(m1, 'Transpose')], op).toEqual([0, 0]);
    }
  });

  it('emits only ops from the allowed set, for every attribute combination', () => {
    const cases: RecurrentCase[] = [
      { op: 'LSTM', direction: 'bidirectional', bias: true, peephole: true, initialH: true, initialC: true, clip: 2, seqLens: [1, 2, 4] },
      { op: 'LSTM', layout: 1, inputForget: 1, activations: ['HardSigmoid', 'Elu', 'Softplus'] },
      { op: 'GRU', layout: 1, linearBeforeReset: 1, bias: true, activations: ['LeakyRelu', 'ThresholdedRelu'], seqLens: [4, 4, 1] },
      { op: 'RNN', direction: 'bidirectional', activations: ['Affine', 'ScaledTanh'], alpha: [2, 1], beta: [1, 2] },
      { op: 'RNN', activations: ['Softsign'], clip: 1 },
    ];
    for (const c of cases) expect(opTypes(lowered(c)).filter((t) => !ALLOWED.has(t)), JSON.stringify(c)).toEqual([]);
  });

  it('emits only ops that have a gradient rule or carry no gradient', () => {
    expect([...ALLOWED, 'MatMul'].filter((op) => !hasRule(op) && !NON_DIFFERENTIABLE_OPS.has(op))).toEqual([]);
  });

  it('records a type and the right shape for every value it creates (what shape inference finds)', () => {
    const cases: RecurrentCase[] = [
      { op: 'LSTM', direction: 'bidirectional', bias: true, peephole: true, initialH: true, initialC: true, seqLens: [1, 2, 4] },
      { op: 'GRU', layout: 1, direction: 'bidirectional', linearBeforeReset: 1, bias: true, initialH: true, clip: 1.5 },
      { op: 'RNN', layout: 1, symbolic: true, bias: true, initialH: true, seqLens: [2, 3, 4] },
    ];
    for (const c of cases) {
      const { fused } = buildCase(c);
      const model = lowerRecurrent(fused, c.symbolic ? { sequenceLength: 4 } : {});
      const recorded = model.graph.valueInfo;
      const check = cloneModel(model);
      check.graph.valueInfo = new Map();
      inferShapes(check, { useDeclared: false });
      let compared = 0;
      for (const node of model.graph.nodes) {
        for (const out of node.outputs) {
          const info = recorded.get(out);
          if (check.graph.valueInfo.get(out)?.shape) compared++;
          expect(info?.elemType, out).toBeDefined();
          const inferred = check.graph.valueInfo.get(out)?.shape;
          // Where both know a dim they agree (null: not known statically; the lowering knows more
          // than inference after the Reshape back to 3-D, where inference cannot divide out the -1).
          if (inferred) inferred.forEach((d, i) => { if (d !== null && info!.shape![i] !== null) expect(info!.shape![i], `${out}[${i}]`).toEqual(d); });
          expect(info!.shape!.length, out).toBe(inferred?.length ?? info!.shape!.length);
        }
      }
      expect(compared).toBeGreaterThan(model.graph.nodes.length * 0.9);
    }
  });

  it('computes only the outputs something reads', () => {
    const onlyH = lowered({ op: 'LSTM', seq: 5, bias: true, initialH: true, initialC: true, outputs: ['Y_h'] });
    expect(onlyH.graph.nodes.some((n) => n.outputs.includes('Y') || n.outputs.includes('Y_c'))).toBe(false);
    // Y_h of one direction is a single Unsqueeze; no Concat stacks the steps.
    expect(count(onlyH, 'Concat')).toBe(0);
    const all = lowered({ op: 'LSTM', seq: 5, bias: true, initialH: true, initialC: true });
    expect(count(all, 'Concat')).toBe(1);
  });

  it('leaves its argument alone, lowers only what filter accepts, and keeps node order topological', () => {
    const model = normalize(loadModel(fixturePath('bilstm_opset17')));
    inferShapes(model);
    const bytes = encodeModel(model);
    const first = lowerRecurrent(model, { sequenceLength: 3, filter: (n) => n.name === '/rnn/LSTM' });
    expect(Buffer.compare(Buffer.from(encodeModel(model)), Buffer.from(bytes))).toBe(0);
    expect(first.graph.nodes.filter((n) => n.opType === 'LSTM').map((n) => n.name)).toEqual(['/rnn/LSTM_1']);
    // Nodes stay in an order where every value is produced before it is read.
    expect(first.graph.topologicalOrder()).toEqual(first.graph.nodes);
  });

  it('folds a ConstantOfShape zero initial state (PyTorch exports) unless asked to keep it', () => {
    const model = normalize(loadModel(fixturePath('lstm_opset17')));
    inferShapes(model);
    const T = 7;
    expect(count(lowerRecurrent(model, { sequenceLength: T }), 'Gemm')).toBe(1 /* Linear */ + 1 + (T - 1));
    expect(count(lowerRecurrent(model, { sequenceLength: T, keep: ['/rnn/ConstantOfShape_output_0'] }), 'Gemm')).toBe(1 + 1 + T);
  });

  it('fails with one-line GlassboxErrors naming the node', () => {
    const symbolic = buildCase({ op: 'GRU', symbolic: true }).fused;
    expect(() => lowerRecurrent(symbolic)).toThrow(GlassboxError);
    expect(() => lowerRecurrent(symbolic)).toThrow('cannot unroll GRU node "gru_node": the sequence length of "X" is symbolic ("seq"); pass sequenceLength to unroll it for one length');
    const fixed = buildCase({ op: 'LSTM', seq: 4 }).fused;
    expect(() => lowerRecurrent(fixed, { sequenceLength: 5 })).toThrow('cannot unroll LSTM node "lstm_node": its input "X" has 4 time steps, not the sequenceLength 5 asked for');
    expect(() => lowerRecurrent(buildCase({ op: 'RNN', activations: ['Swish'] }).fused)).toThrow(/uses the activation "Swish"/);
    expect(() => lowerRecurrent(buildCase({ op: 'LSTM', activations: ['Sigmoid', 'Tanh'] }).fused)).toThrow(/lists 2 activations; LSTM with 1 direction needs 3/);
    const unknown = buildCase({ op: 'LSTM' }).fused;
    unknown.graph.valueInfo.clear();
    unknown.graph.inputs[0]!.shape = undefined;
    expect(() => lowerRecurrent(unknown)).toThrow(/the sequence length of "X" is unknown/);
    expect(() => lowerRecurrent(unknown, { sequenceLength: 4 })).not.toThrow();
  });
});
