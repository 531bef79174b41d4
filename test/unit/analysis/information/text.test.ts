/** informationForText: a sentence through a text model's embedding cut, per token, padding cut off. */
import { describe, expect, it } from 'vitest';
import { WordVocabularyTokenizer } from '../../../../src/attribution/text/word-vocabulary.js';
import { defaultScale, embeddingTable, informationForText } from '../../../../src/analysis/information/index.js';
import { prepareModel } from '../../../../src/engine/prepare.js';
import { transformerFixture } from './models.js';

const VOCABULARY = ['[PAD]', '[UNK]', '[MASK]', 'the', 'food', 'was', 'great', 'but', 'service', 'slow'];
const LAYERS = ['/encoder/layers.0/norm2/LayerNormalization_output_0', '/encoder/layers.1/norm2/LayerNormalization_output_0'];

describe('informationForText', () => {
  it('reports σ per token with the tokens, scales by the token table, and measures a padded text as the unpadded one', async () => {
    const { model } = transformerFixture();
    const sentence = 'The food was great, but the service was slow';
    const options = { layers: LAYERS, steps: 150, earlyStop: false, seed: 3, samples: ['the food was slow', 'great service', 'the service was great but slow'] } as const;
    const padded = await informationForText({ model, tokenizer: new WordVocabularyTokenizer(VOCABULARY, 12) }, sentence, options);
    expect(padded.tokens).toEqual(['the', 'food', 'was', 'great', ',', 'but', 'the', 'service', 'was', 'slow']);
    expect(padded.wordIds).toEqual(padded.tokens.map((_, i) => i));
    expect(padded.embedding).toBe('/Add_output_0');
    for (const layer of padded.layers) {
      expect(layer.sigma).toHaveLength(padded.tokens.length);
      expect(layer.normalizer).toBe('samples');
    }
    const { model: prepared } = await prepareModel(model);
    const table = embeddingTable(prepared, 'input_ids')!;
    expect(table.shape).toEqual([50, 32]);
    expect(padded.scale).toBeCloseTo(defaultScale(table, table), 6); // 10 × std of the table, not of this sentence
    // The fixture model has no padding mask: only cutting the padding off makes the two agree.
    const unpadded = await informationForText({ model, tokenizer: new WordVocabularyTokenizer(VOCABULARY) }, sentence, options);
    for (const [l, layer] of unpadded.layers.entries()) expect(layer.sigma).toEqual(padded.layers[l]!.sigma);
  });
});
