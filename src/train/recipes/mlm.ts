import type { Recipe } from '../types.js';
import { ENCODER_DEFAULTS, encoder, type EncoderConfig } from './encoder.js';
import { checkContext, gelu, layerNorm, linear, tokenInput } from './layers.js';
import { constant } from './init.js';
import { Net } from './net.js';

export type MlmConfig = EncoderConfig & {
  /** Decode with the token embedding matrix (BERT's tied weights) rather than a separate one. */
  tied: boolean;
};

/**
 * Masked-language-model encoder (for Perturbed Masking): the 'transformer' encoder with the
 * same weight names, then a BERT-style head (dense → GELU → LayerNorm → vocabulary), giving
 * 'logits' [batch, seq, vocabulary]. The context's number of classes is not used; id 2 is the
 * dataset's MASK token, an ordinary token to the graph. Loss positions are the trainer's choice.
 *
 * Hooks: 'embeddings', 'layer1' … 'layerN', 'encoded' as in 'transformer' (no 'pooled': there
 * is no sequence classifier). Weights: the encoder's, 'mlm.dense.weight|bias',
 * 'mlm.norm.weight|bias', 'mlm.bias' [vocabulary] (zeros, as BERT) when tied, else
 * 'mlm.decoder.weight|bias'. Dropout masks (train form): the encoder's.
 */
export const mlm: Recipe<MlmConfig> = {
  name: 'mlm',
  description: 'masked-language-model Transformer encoder (same encoder weights as transformer; tied or untied vocabulary head)',
  kinds: ['tokens'],
  defaults: { ...ENCODER_DEFAULTS, tied: true },
  build(context, config, form) {
    checkContext(this, context);
    const c = { ...this.defaults, ...config };
    const net = new Net('mlm', form, context.seed);
    const vocabulary = context.vocabularySize!;
    const { encoded } = encoder(net, tokenInput(net), context, c);
    const dense = net.scope('mlm.dense', () => gelu(net, linear(net, encoded, 'mlm.dense', c.d, c.d, { rank: 3 })));
    const h = layerNorm(net, dense, 'mlm.norm', c.d);
    const logits = c.tied
      ? net.scope('mlm.decoder', () => {
        const bias = net.param('mlm.bias', constant([vocabulary], 0));
        const table = net.op('Transpose', ['embedding.weight'], { perm: [1, 0] });
        return net.op('Add', [net.op('MatMul', [h, table]), bias]);
      })
      : linear(net, h, 'mlm.decoder', c.d, vocabulary, { rank: 3 });
    return net.finish(net.hook(logits, 'logits'), ['batch', 'seq', vocabulary], context, c);
  },
};
