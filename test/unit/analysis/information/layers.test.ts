import { describe, expect, it } from 'vitest';
import { chooseLayers } from '../../../../src/analysis/information/layers.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { recipe } from '../../../../src/train/recipes/index.js';
import { maskedModel, TRANSFORMER } from './models.js';

const tokens = { kind: 'tokens' as const, inputShape: [12], classes: 2, vocabularySize: 30, seed: 1 };

describe('chooseLayers', () => {
  it("'all' is a recipe's named hooks after the embedding, in order, without the output", () => {
    const transformer = recipe('transformer').build(tokens, { ...recipe('transformer').defaults, layers: 3 }, 'eval').model;
    expect(chooseLayers(transformer, 'embeddings', 'all')).toEqual({ layers: ['layer1', 'layer2', 'layer3', 'encoded', 'pooled'] });
    const lstm = recipe('lstm').build(tokens, { ...recipe('lstm').defaults, layers: 2 }, 'eval').model;
    expect(chooseLayers(lstm, 'embeddings', 'all').layers).toEqual(['layer1', 'layer2', 'pooled']);
    expect(chooseLayers(recipe('textcnn').build(tokens, recipe('textcnn').defaults, 'eval').model, 'embeddings', 'all').layers).toEqual(['layer1', 'pooled']);
  });

  it("'all' on another model: LayerNormalization outputs when there are some, else float tensors, capped and said so", () => {
    const bert = chooseLayers(loadModel(TRANSFORMER), '/Add_output_0', 'all');
    expect(bert.layers).toHaveLength(4);
    expect(bert.layers.every((l) => l.includes('LayerNormalization'))).toBe(true);
    expect(bert.note).toMatch(/LayerNormalization outputs/);
    const masked = maskedModel({ hidden: 1 });
    expect(chooseLayers(masked, 'x', 'all').layers).toEqual(['masked', 'MatMul_out', 'MatMul_out_1', 'layer']);
    const capped = chooseLayers(masked, 'x', 'all', { max: 2 });
    expect(capped.layers).toEqual(['MatMul_out', 'layer']);
    expect(capped.note).toMatch(/^--layers all: 2 of the 4 float tensors after the noised tensor, evenly spaced/);
  });

  it('names are checked with one-line errors that list the candidates', () => {
    const model = recipe('transformer').build(tokens, recipe('transformer').defaults, 'eval').model;
    expect(chooseLayers(model, 'embeddings', 'layer2, pooled').layers).toEqual(['layer2', 'pooled']);
    expect(chooseLayers(model, 'embeddings', ['logits']).layers).toEqual(['logits']);
    expect(() => chooseLayers(model, 'embeddings', 'layr2')).toThrow(/^the model has no layer "layr2" \(did you mean "layer2".*\); candidates: layer1, layer2, encoded, pooled \(glassbox inspect lists every tensor\)$/);
    expect(() => chooseLayers(model, 'embeddings', 'embeddings')).toThrow(/^"embeddings" is where the noise is added/);
    expect(() => chooseLayers(model, 'embeddings', 'input_ids')).toThrow(/^layer "input_ids" is not computed from "embeddings"/);
    expect(() => chooseLayers(model, 'embeddings', 'layer1,layer1')).toThrow(/^layer "layer1" is listed twice/);
    expect(() => chooseLayers(model, 'embeddings', 'all,layer1')).toThrow(/^--layers all stands alone/);
    expect(() => chooseLayers(model, 'embeddings', ' , ')).toThrow(/^name the layers to measure/);
  });
});
