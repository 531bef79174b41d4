import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import type { Dim } from '../../../../src/onnx/ir/value.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { countOps, expectSameOutputs, pseudoRandom } from './helpers.js';

function softmax(opset: number, opType: string, shape: Dim[], axis?: number, hideRank = false): Model {
  const b = new GraphBuilder();
  let x = b.input('x', 'float32', shape);
  // Expand to a shape whose length is known only at run time: nothing static says the rank.
  if (hideRank) x = b.op('Expand', [x, b.input('shape', 'int64', ['n'])]);
  b.output(b.op(opType, [x], axis === undefined ? {} : { axis }));
  return b.model({ opset });
}

/** Softmax over all elements of each [1:] block, i.e. the opset-11 meaning of axis=1 on rank 3. */
function flattenedSoftmax(x: number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = x.slice(r * cols, (r + 1) * cols);
    const max = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    out.push(...exps.map((e) => e / sum));
  }
  return out;
}

describe('normalize: Softmax/LogSoftmax/Hardmax get opset-13 (single-axis) semantics', () => {
  it('Softmax-11 axis=1 on rank 3 keeps the flatten-to-2D meaning', async () => {
    const x = pseudoRandom([2, 3, 4], 1);
    const { model, after } = await expectSameOutputs(softmax(11, 'Softmax', [2, 3, 4], 1), { x });
    expect(countOps(model, 'Flatten')).toBe(1);
    expect(countOps(model, 'Reshape')).toBe(1);
    expect(model.graph.nodes.find((n) => n.opType === 'Softmax')!.int('axis')).toBe(-1);
    // Normalised over 12 elements per batch row, not over the 3 of axis 1.
    const got = Object.values(after)[0]!;
    const want = flattenedSoftmax(x.toNumbers(), 2, 12);
    got.toNumbers().forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    expect(model.graph.outputs[0]!.name).toBe('Softmax_out');
  });

  it.each(['LogSoftmax', 'Hardmax'])('%s-9 with the default axis 1 on rank 3 keeps the old meaning', async (op) => {
    await expectSameOutputs(softmax(9, op, [2, 3, 4]), { x: pseudoRandom([2, 3, 4], 2) });
  });

  it('axis provably last (rank from declared types, or axis=-1) stays one node', async () => {
    for (const model of [softmax(11, 'Softmax', ['batch', 3, 4], 2), softmax(11, 'LogSoftmax', [2, 3, 4], -1), softmax(9, 'Softmax', ['batch', 5])]) {
      const { model: out } = await expectSameOutputs(model, { x: pseudoRandom(model.graph.inputs[0]!.shape!.map((d) => (typeof d === 'number' ? d : 2)), 3) });
      expect(countOps(out, 'Flatten') + countOps(out, 'Reshape')).toBe(0);
    }
  });

  it('rank followed through Transpose; unknown rank falls back to Flatten/Reshape', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3, 4]);
    b.output(b.op('Softmax', [b.op('Transpose', [x], { perm: [0, 2, 1] })], { axis: 2 }));
    const viaTranspose = await expectSameOutputs(b.model({ opset: 11 }), { x: pseudoRandom([2, 3, 4], 4) });
    expect(countOps(viaTranspose.model, 'Flatten')).toBe(0);
    const unknown = softmax(11, 'Softmax', [2, 3, 4], 2, true);
    const fallback = await expectSameOutputs(unknown, { x: pseudoRandom([2, 3, 4], 5), shape: Tensor.int64([3], [2, 3, 4]) });
    expect(countOps(fallback.model, 'Flatten')).toBe(1);
  });
});
