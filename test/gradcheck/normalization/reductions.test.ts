import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../../src/engine/gradcheck.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import type { GraphBuilder } from '../../../src/onnx/builder.js';
import { buildModel, rand } from '../harness.js';
import { check } from './helpers.js';

/**
 * Reduce* rules in float64 (onnxruntime's CPU reductions all take double), central differences,
 * default tolerance 1e-6. x is ['batch', 3, 4] fed with batch 2; every axes variant of the
 * canonical form: axes input present / absent / empty, negative axes, keepdims 0 and 1,
 * noop_with_empty_axes, and axes fed at run time (the rules never read axis values).
 */
const OPS = ['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceL1', 'ReduceL2', 'ReduceSumSquare', 'ReduceLogSumExp', 'ReduceLogSum', 'ReduceProd'] as const;

interface Variant {
  name: string;
  /** Axes as a constant; null = input omitted; 'fed' = graph input fed [-1, 0]. */
  axes: number[] | null | 'fed';
  keepdims: number;
  noop?: number;
}

const VARIANTS: Variant[] = [
  { name: 'axes [-1], keepdims 1', axes: [-1], keepdims: 1 },
  { name: 'axes [0, -1] (batch too), keepdims 0', axes: [0, -1], keepdims: 0 },
  { name: 'axes [1], keepdims 0', axes: [1], keepdims: 0 },
  { name: 'axes [-2, 2], keepdims 1', axes: [-2, 2], keepdims: 1 },
  { name: 'no axes: reduce all, keepdims 0', axes: null, keepdims: 0 },
  { name: 'no axes: reduce all, keepdims 1', axes: null, keepdims: 1 },
  { name: 'empty axes, noop 0: reduce all', axes: [], keepdims: 0 },
  { name: 'empty axes, noop 1: elementwise', axes: [], keepdims: 0, noop: 1 },
  { name: 'no axes, noop 1: elementwise', axes: null, keepdims: 1, noop: 1 },
  { name: 'axes fed at run time, keepdims 1', axes: 'fed', keepdims: 1 },
];

function inputFor(op: string) {
  // LogSum needs a positive sum; L1 and the extrema must stay off kinks (0, ties).
  if (op === 'ReduceLogSum') return rand([2, 3, 4], { low: 0.5, high: 1.5 });
  return rand([2, 3, 4], { awayFrom: [0] });
}

describe('reductions (float64)', () => {
  for (const variant of VARIANTS) {
    it(variant.name, async () => {
      for (const op of OPS) {
        await check(`${op} ${variant.name}`, {
          build: (b: GraphBuilder) => {
            const x = b.input('x', 'float64', ['batch', 3, 4]);
            const inputs = [x];
            if (variant.axes === 'fed') inputs.push(b.input('axes', 'int64', [2]));
            else if (variant.axes) inputs.push(b.constant('axes', Tensor.int64([variant.axes.length], variant.axes)));
            return b.op(op, inputs, { keepdims: variant.keepdims, ...(variant.noop ? { noop_with_empty_axes: variant.noop } : {}) });
          },
          feeds: { x: inputFor(op), ...(variant.axes === 'fed' ? { axes: Tensor.int64([2], [-1, 0]) } : {}) },
          wrt: ['x'],
        });
      }
    });
  }

  it('axes fed at run time, keepdims 0 (output shape known only from probing)', async () => {
    for (const op of OPS) {
      const { model, outputs } = buildModel((b) => b.op(op, [b.input('x', 'float64', ['batch', 3, 4]), b.input('axes', 'int64', [2])], { keepdims: 0 }));
      // Static inference cannot know which axes go; probing would record the output as [3].
      model.graph.outputs[0]!.shape = [3];
      const results = await gradcheck(model, { feeds: { x: inputFor(op), axes: Tensor.int64([2], [-1, 0]) }, of: outputs, wrt: ['x'], runtime: { deterministic: true } });
      expect(results[0]!.worstRelError, op).toBeLessThan(1e-6);
      if (process.env.GRADCHECK_REPORT) console.log(`[gradcheck] ${op} fed axes float64 worst rel error ${results[0]!.worstRelError.toExponential(2)}`);
    }
  });

  it('ReduceProd with exact zeros (one and two per group) is exact', async () => {
    const x = rand([2, 3, 4]);
    const d = x.data as Float64Array;
    d[0] = 0; // row (0,0,:) has one zero
    d[4] = 0; d[6] = 0; // row (0,1,:) has two zeros
    for (const keepdims of [0, 1]) {
      await check(`ReduceProd zeros keepdims ${keepdims}`, {
        build: (b) => b.op('ReduceProd', [b.input('x', 'float64', ['batch', 3, 4]), b.constant('axes', Tensor.int64([1], [-1]))], { keepdims }),
        feeds: { x },
      });
    }
  });
});
