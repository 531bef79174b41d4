/**
 * Models with known information, built with GraphBuilder, and the fixture Transformer the
 * information tests share.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { GraphBuilder } from '../../../../src/onnx/builder.js';
import { loadModel } from '../../../../src/onnx/io.js';
import type { Model } from '../../../../src/onnx/ir/model.js';
import { parseTensorValue } from '../../../../src/tensor/json.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { ROOT } from '../../../helpers/fixtures.js';

export function randn(shape: number[], seed: number, scale = 1): Tensor {
  const random = new Random(seed);
  return Tensor.float32(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * random.normal()));
}

/**
 * x [batch, seq, d] → masked = x · m (m = 1 except 0 at position `hidden`) → mixed = A·masked
 * (every position reads every other) → 'layer' = Tanh(mixed · W) → 'pooled' = ReduceMean over
 * positions. Word `hidden` cannot reach 'layer': its σ has nothing to pay for.
 */
export function maskedModel(options: { seq?: number; d?: number; hidden: number; seed?: number }): Model {
  const { seq = 5, d = 4, hidden, seed = 1 } = options;
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', seq, d]);
  const mask = Tensor.float32([1, seq, 1], Array.from({ length: seq }, (_, p) => (p === hidden ? 0 : 1)));
  const masked = b.op('Mul', [x, b.constant('mask', mask)], {}, { outputs: ['masked'] })[0]!;
  const mixed = b.op('MatMul', [b.constant('A', randn([seq, seq], seed, 0.5)), masked]);
  b.op('Tanh', [b.op('MatMul', [mixed, b.constant('W', randn([d, d], seed + 1, 0.7))])], {}, { outputs: ['layer'] });
  b.op('ReduceMean', ['layer', b.constant('axes', Tensor.int64([1], [1]))], { keepdims: 0 }, { outputs: ['pooled'] });
  b.output('pooled');
  return b.model();
}

/** Φ(x) = flatten(x) · W: x [batch, seq, d] → 'phi' [batch, m] (W [seq·d, m]). */
export function linearModel(w: Tensor, seq: number, d: number): Model {
  const rows = w.shape[0]!;
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', seq, d]);
  const flat = b.op('Reshape', [x, b.constant('shape', Tensor.int64([2], [-1, rows]))]);
  b.op('MatMul', [flat, b.constant('W', w)], {}, { outputs: ['phi'] });
  b.output('phi');
  return b.model();
}

export const TRANSFORMER = join(ROOT, 'test', 'fixtures', 'gradients', 'transformer.onnx');

/** The fixture Transformer (token ids → embedding '/Add_output_0' → 2 encoder layers) and its first sentence's ids. */
export function transformerFixture(): { model: Model; ids: Tensor } {
  const raw = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'gradients', 'transformer.grad.json'), 'utf8')) as { inputs: { input_ids: unknown } };
  const ids = parseTensorValue(raw.inputs.input_ids, 'ids').tensor;
  return { model: loadModel(TRANSFORMER), ids: ids.sliceBatch(0, 1) };
}

/**
 * x [batch, 1, 8, 8] → the top-left 4×4 quadrant zeroed → 'layer' = Relu(Conv 3×3, 2 channels).
 * With 4×4 patches as units, patch 0 cannot reach the layer.
 */
export function maskedImageModel(): Model {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', ['batch', 1, 8, 8]);
  const mask = Tensor.float32([1, 1, 8, 8], Array.from({ length: 64 }, (_, i) => (Math.floor(i / 8) < 4 && i % 8 < 4 ? 0 : 1)));
  const masked = b.op('Mul', [x, b.constant('mask', mask)]);
  b.op('Relu', [b.op('Conv', [masked, b.constant('w', randn([2, 1, 3, 3], 5)), b.constant('b', randn([2], 6, 0.1))], { pads: [1, 1, 1, 1] })], {}, { outputs: ['layer'] });
  b.output('layer');
  return b.model();
}
