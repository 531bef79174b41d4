/**
 * The optimisation graph itself, on the fixture Transformer cut at its embedding output: its
 * losses are the reference loss computed row by row from plain forward runs (whatever axis the
 * layer keeps its batch on), and its dL/dr agrees with central differences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutForInformation } from '../../../../src/analysis/information/cut.js';
import { InformationEvaluator } from '../../../../src/analysis/information/evaluator.js';
import { buildInformationGraph } from '../../../../src/analysis/information/graph.js';
import { LayerForward, probeLayouts, type LayerLayout } from '../../../../src/analysis/information/layout.js';
import { normalizer } from '../../../../src/analysis/information/normalizer.js';
import { axisFirst } from '../../../../src/analysis/information/rows.js';
import { resolveUnits, unitsPerPosition } from '../../../../src/analysis/information/units.js';
import type { Feeds } from '../../../../src/runtime/feeds.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import { Random } from '../../../../src/util/random.js';
import { transformerFixture } from './models.js';

const INPUT = '/Add_output_0';
/** One layer per batch layout: [seq, batch, D], [4·batch, seq, seq] (heads merged, batch-major), [batch, seq, D], [batch, C]. */
const LAYERS = [
  '/encoder/layers.0/self_attn/Transpose_output_0',
  '/encoder/layers.0/self_attn/Softmax_output_0',
  '/encoder/layers.1/norm2/LayerNormalization_output_0',
  'logits',
];
const [K, SCALE, LAMBDA] = [3, 2, 0.1];

describe('the information optimisation graph', () => {
  let forward: LayerForward;
  let evaluator: InformationEvaluator;
  let x: Tensor;
  let extra: Feeds;
  let layouts: LayerLayout[];
  let clean: Record<string, Tensor>;
  let inverse: Float32Array[];
  let units: ReturnType<typeof resolveUnits>;

  beforeAll(async () => {
    const { model, ids } = transformerFixture();
    const { cut, full } = await cutForInformation(model, INPUT, LAYERS);
    const embed = await LayerForward.create(full, 'input_ids', [INPUT]);
    x = (await embed.values(ids))[INPUT]!;
    await embed.release();
    extra = { input_ids: ids };
    forward = await LayerForward.create(cut, INPUT, LAYERS);
    clean = await forward.values(x, extra);
    layouts = await probeLayouts(forward, x, extra, clean);
    units = resolveUnits(unitsPerPosition(x.shape), x.shape);
    inverse = LAYERS.map((l, i) => normalizer(l, clean[l]!, layouts[i]!.batchAxis, {}).inverseSquare);
    evaluator = await InformationEvaluator.create(buildInformationGraph(cut, INPUT, LAYERS.map((layer, i) => ({ layer, batchAxis: layouts[i]!.batchAxis, rank: clean[layer]!.rank })), units.shape.map((d) => d === 1)));
    evaluator.bind({
      x, units, extra, scale: SCALE, lambda: LAMBDA, noiseSamples: K,
      clean: LAYERS.map((l, i) => axisFirst(clean[l]!.data as Float32Array, clean[l]!.shape, layouts[i]!.batchAxis)),
      inverseSquare: inverse,
    });
  });

  afterAll(async () => {
    await evaluator?.release();
    await forward?.release();
  });

  it('finds each layer\'s batch axis, merged dims included', () => {
    expect(layouts.map((l) => l.batchAxis)).toEqual([1, 0, 0, 0]);
  });

  it('computes every layer\'s loss as the reference does, one noisy row at a time', async () => {
    const random = new Random(3);
    const seq = x.shape[1]!;
    const r = random.fill(new Float32Array(LAYERS.length * seq));
    const noise = random.fill(new Float32Array(K * x.size));
    const { losses } = await evaluator.evaluate(r, noise);
    for (const [l, layer] of LAYERS.entries()) {
      // Row by row: x̃ = x + scale·sigmoid(r)·ε, Φ at batch 1, mean((Φ(x̃) − Φ(x))²/s²) averaged over draws.
      let fit = 0;
      for (let k = 0; k < K; k++) {
        const data = Float32Array.from(x.data as Float32Array, (v, e) => {
          const p = Math.floor(e / x.shape[2]!);
          return v + SCALE / (1 + Math.exp(-r[l * seq + p]!)) * noise[k * x.size + e]!;
        });
        const phi = (await forward.values(Tensor.float32(x.shape, data), extra))[layer]!.data as Float32Array;
        const phi0 = clean[layer]!.data as Float32Array;
        const inv = inverse[l]!; // batch-first order: for these layers, the same as the value's at batch 1 up to the transpose
        const flat = axisFirst(phi, clean[layer]!.shape, layouts[l]!.batchAxis);
        const flat0 = axisFirst(phi0, clean[layer]!.shape, layouts[l]!.batchAxis);
        let sum = 0;
        for (let e = 0; e < flat.length; e++) sum += (flat[e]! - flat0[e]!) ** 2 * inv[e]!;
        fit += sum / flat.length / K;
      }
      let entropy = 0;
      for (let p = 0; p < seq; p++) entropy += Math.log1p(Math.exp(-r[l * seq + p]!)) / seq;
      expect(losses[l]).toBeCloseTo(fit + LAMBDA * entropy, 3);
    }
  });

  it('gives dL/dr that agrees with central differences, each layer\'s loss reading its own row of r only', async () => {
    const random = new Random(5);
    const seq = x.shape[1]!;
    const r = random.fill(new Float32Array(LAYERS.length * seq));
    const noise = random.fill(new Float32Array(K * x.size));
    const { losses, gradient } = await evaluator.evaluate(r, noise);
    const h = 1e-2;
    for (let l = 0; l < LAYERS.length; l++) {
      const v = random.fill(new Float32Array(seq));
      const shifted = (sign: number) => Float32Array.from(r, (value, i) => (Math.floor(i / seq) === l ? value + sign * h * v[i % seq]! : value));
      const plus = (await evaluator.evaluate(shifted(1), noise)).losses;
      const minus = (await evaluator.evaluate(shifted(-1), noise)).losses;
      const numeric = (plus[l]! - minus[l]!) / (2 * h);
      let analytic = 0;
      for (let p = 0; p < seq; p++) analytic += gradient[l * seq + p]! * v[p]!;
      expect(Math.abs(numeric - analytic) / Math.max(Math.abs(analytic), 1e-3)).toBeLessThan(2e-2);
      // Other layers' losses do not move when this layer's r does.
      for (let o = 0; o < LAYERS.length; o++) if (o !== l) expect(plus[o]).toBeCloseTo(losses[o]!, 5);
    }
  });
});
