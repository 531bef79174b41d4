import { describe, expect, it } from 'vitest';
import { buildGradientGraph } from '../../../src/autodiff/gradients.js';
import { buildModel } from '../../gradcheck/harness.js';

describe('gradient builder errors', () => {
  it('names the op, node, opset and path when a rule is missing', () => {
    const { model, outputs } = buildModel((b) => {
      const x = b.input('x', 'float32', ['batch', 4]);
      const h = b.op('Relu', [x], {}, { name: 'act' });
      const a = b.op('Atan', [h], {}, { name: 'angle' });
      return b.op('Mul', [a, a], {}, { name: 'square' });
    });
    expect(() => buildGradientGraph(model, { of: outputs, wrt: ['x'] })).toThrow(
      /^no gradient rule for Atan \(Atan node "angle", opset 21\), needed on the path x → Relu_out → \[Atan\] → Atan_out → Mul_out$/,
    );
  });

  it('says so when the output does not depend on a wrt tensor', () => {
    const { model, outputs } = buildModel((b) => {
      b.input('unused', 'float32', [3]);
      return b.op('Relu', [b.input('x', 'float32', [3])]);
    });
    expect(() => buildGradientGraph(model, { of: outputs, wrt: ['unused'] })).toThrow(/"Relu_out" does not depend on "unused"/);
  });

  it('says so when the only path is through non-differentiable ops', () => {
    const { model, outputs } = buildModel((b) => {
      const x = b.input('x', 'float32', [3]);
      return b.op('Cast', [b.op('Shape', [x])], { to: 1 });
    });
    expect(() => buildGradientGraph(model, { of: outputs, wrt: ['x'] })).toThrow(/does not depend on "x" through differentiable operations/);
  });

  it('refuses integer tensors and unknown names', () => {
    const { model, outputs } = buildModel((b) => {
      const ids = b.input('ids', 'int64', [3]);
      const table = b.input('table', 'float32', [10, 4]);
      return b.op('Gather', [table, ids]);
    });
    expect(() => buildGradientGraph(model, { of: outputs, wrt: ['ids'] })).toThrow(/"ids" is int64; gradients exist only for floating-point tensors/);
    expect(() => buildGradientGraph(model, { of: outputs, wrt: ['tabel'] })).toThrow(/no tensor named "tabel" \(did you mean "table"/);
  });
});

describe('gradient graph cache', () => {
  it('returns the same graph for the same model contents and request, a new one otherwise', async () => {
    const { GradientGraphCache } = await import('../../../src/autodiff/cache.js');
    const cache = new GradientGraphCache(2);
    const build = () => buildModel((b) => b.op('Tanh', [b.input('x', 'float32', [3])]));
    const a = build();
    const first = cache.get(a.model, { of: a.outputs, wrt: ['x'] });
    expect(cache.get(build().model, { of: a.outputs, wrt: ['x'] })).toBe(first);
    expect(cache.get(a.model, { of: a.outputs, wrt: ['x'], seed: 'ones' })).not.toBe(first);
    a.model.graph.nodes[0]!.opType = 'Sigmoid';
    expect(cache.get(a.model, { of: a.outputs, wrt: ['x'] })).not.toBe(first);
    expect(cache.size).toBe(2);
  });
});
