import { describe, expect, it } from 'vitest';
import { encodeModel, loadModel } from '../../../../src/onnx/io.js';
import { normalize } from '../../../../src/onnx/normalize/index.js';
import { fixtureIO, fixtureNames, fixturePath, paddleModel } from '../../../helpers/fixtures.js';
import { canonicalProblems, countOps, normalized, pseudoRandom, runOrt, worstDiff, type Feeds } from './helpers.js';

interface Case { name: string; path: string; feeds: Feeds; torch?: Feeds }

const PADDLE_SHAPES = { det: [2, 3, 64, 64], rec: [2, 3, 48, 96], cls: [2, 3, 48, 192] } as const;

const cases: Case[] = [
  ...fixtureNames().map((name) => {
    const io = fixtureIO(name);
    // ONNX's Upsample(linear) is not PyTorch's half-pixel bilinear (see the fixtures README).
    return { name, path: fixturePath(name), feeds: io.inputs, ...(name === 'upsample_bilinear_opset9' ? {} : { torch: io.outputs }) };
  }),
  ...(['det', 'rec', 'cls'] as const).map((which, i) => ({
    name: `paddleocr-${which}`, path: paddleModel(which), feeds: { x: pseudoRandom([...PADDLE_SHAPES[which]], 1000 + i) },
  })),
];

describe('normalize: every fixture and PaddleOCR model computes what it computed before', () => {
  it.each(cases)('$name: normalised output = onnxruntime on the original bytes (1e-5)', async ({ name, path, feeds, torch }) => {
    const model = normalized(loadModel(path));
    const before = await runOrt(path, feeds);
    const after = await runOrt(model, feeds);
    const diff = worstDiff(before, after);
    const torchDiff = torch ? worstDiff(torch, after) : undefined;
    // Printed so that a loss of precision shows up long before it fails the bound.
    console.info(`normalize ${name}: max relative diff vs original ${diff.toExponential(2)}${torchDiff === undefined ? '' : `, vs PyTorch ${torchDiff.toExponential(2)}`}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
    if (torchDiff !== undefined) expect(torchDiff).toBeLessThanOrEqual(1e-4);
  });

  it.each(cases)('$name: is in canonical form', ({ path }) => {
    const model = normalized(loadModel(path));
    expect(canonicalProblems(model)).toEqual([]);
  });

  it.each(cases)('$name: is idempotent and leaves its argument alone', ({ path }) => {
    const original = loadModel(path);
    const bytes = encodeModel(original);
    const once = normalize(original);
    expect(Buffer.compare(Buffer.from(encodeModel(original)), Buffer.from(bytes))).toBe(0);
    const twice = normalize(once);
    expect(Buffer.compare(Buffer.from(encodeModel(twice)), Buffer.from(encodeModel(once)))).toBe(0);
  });
});

describe('normalize: LayerNormalization fusion on real exports', () => {
  it.each(['transformer_opset11', 'transformer_opset13', 'transformer_opset14'])('%s: four LayerNormalization nodes, no Pow/Sqrt left', (name) => {
    const model = normalized(loadModel(fixturePath(name)));
    expect(countOps(model, 'LayerNormalization')).toBe(4);
    expect(countOps(model, 'Pow')).toBe(0);
    expect(countOps(model, 'Sqrt')).toBe(0);
  });

  it('transformer_opset17 (real LayerNormalization nodes) keeps its four', () => {
    expect(countOps(normalized(loadModel(fixturePath('transformer_opset17'))), 'LayerNormalization')).toBe(4);
  });

  it('PaddleOCR rec: its five spelled-out layer norms are fused', () => {
    const model = normalized(loadModel(paddleModel('rec')));
    expect(countOps(model, 'LayerNormalization')).toBe(5);
    expect(countOps(model, 'Pow')).toBe(0);
  });

  it.each(['det', 'rec', 'cls'] as const)('PaddleOCR %s: Constant weights become initializers under their own names', (which) => {
    const original = loadModel(paddleModel(which));
    const model = normalized(original);
    expect(original.graph.initializers.size).toBe(0);
    expect(countOps(model, 'Constant')).toBe(0);
    const read = new Set(model.graph.nodes.flatMap((n) => n.inputs));
    for (const node of original.graph.nodes.filter((n) => n.opType === 'Constant')) {
      const name = node.outputs[0]!;
      // Every constant the normalised graph still reads is an initializer of the same name and bytes.
      if (!read.has(name)) continue;
      const bytes = model.graph.initializers.get(name)?.raw_data;
      expect(bytes && Buffer.compare(Buffer.from(bytes), Buffer.from(node.tensor('value')!.raw_data!)), name).toBe(0);
    }
    expect(model.graph.initializers.has('conv2d_0.w_0') || which !== 'cls').toBe(true);
  });
});
