import type { Recipe } from '../types.js';
import { ENCODER_DEFAULTS, encoder, type EncoderConfig } from './encoder.js';
import { checkContext, linear, tokenInput } from './layers.js';
import { Net } from './net.js';

export type TransformerConfig = EncoderConfig;

/**
 * Transformer encoder classifier on input_ids [batch, seq] (0 = PAD): token + learned position
 * embeddings, pre-LN blocks with GELU feed-forward layers (see encoder.ts), mean pooling over
 * non-PAD tokens, a linear classifier.
 *
 * Hooks: 'embeddings' [batch, seq, d] (token + position embeddings, the input of the first block
 * and the cut point for attribution), 'layer1' … 'layerN' (block outputs, [batch, seq, d]),
 * 'encoded' (after the final LayerNorm), 'pooled' [batch, d].
 * Weights: 'embedding.weight', 'position.weight', 'encoder.<i>.norm1|norm2.weight|bias',
 * 'encoder.<i>.attn.qkv.weight' [3d, d] (q, k, v stacked) and '.bias', 'encoder.<i>.attn.out.*',
 * 'encoder.<i>.ff1.*', 'encoder.<i>.ff2.*', 'encoder.norm.*', 'classifier.weight|bias'.
 * Dropout masks (train form): 'dropout.embedding', 'dropout.encoder.<i>.attn' [batch, heads,
 * seq, seq], 'dropout.encoder.<i>.sa', '.ff' [batch, seq, ff], '.ff_out'.
 */
export const transformer: Recipe<TransformerConfig> = {
  name: 'transformer',
  description: 'Transformer encoder classifier (d, heads, layers, FF size; pre-LN, GELU; mean pooling over tokens)',
  kinds: ['tokens'],
  defaults: { ...ENCODER_DEFAULTS },
  build(context, config, form) {
    checkContext(this, context);
    const c = { ...this.defaults, ...config };
    const net = new Net('transformer', form, context.seed);
    const { encoded, validFloat } = encoder(net, tokenInput(net), context, c);
    const pooled = net.scope('pool', () => {
      const sum = net.op('ReduceSum', [net.op('Mul', [encoded, net.op('Unsqueeze', [validFloat, net.ints([2])])]), net.ints([1])], { keepdims: 0 });
      // An all-PAD row averages nothing: divide by at least 1 rather than by 0.
      const count = net.op('Max', [net.op('ReduceSum', [validFloat, net.ints([1])], { keepdims: 1 }), net.scalar(1)]);
      return net.op('Div', [sum, count]);
    });
    const logits = linear(net, net.hook(pooled, 'pooled'), 'classifier', c.d, context.classes);
    return net.finish(net.hook(logits, 'logits'), ['batch', context.classes], context, c);
  },
};
