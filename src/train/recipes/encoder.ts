/**
 * The Transformer encoder shared by 'transformer' and 'mlm' (identical weight names, so a
 * classifier can start from a pretrained masked-LM encoder).
 *
 * Pre-LN blocks (x + Attn(LN(x)), then x + FF(LN(x)), and a final LayerNorm): unlike post-LN
 * they train from scratch without learning-rate warmup, which suits small models trained here.
 */
import { GlassboxError } from '../../util/errors.js';
import type { RecipeContext } from '../types.js';
import { attention, embedding, gelu, layerNorm, linear, positionIds, positive, probability, tokenMask } from './layers.js';
import type { Net } from './net.js';

export type EncoderConfig = {
  /** Model width. */
  d: number;
  heads: number;
  layers: number;
  /** Feed-forward hidden size. */
  ff: number;
  /** Dropout on embeddings, attention weights, residual branches and the FF hidden layer (train form only). */
  dropout: number;
};

export const ENCODER_DEFAULTS: EncoderConfig = { d: 64, heads: 4, layers: 2, ff: 128, dropout: 0.1 };

/** An additive attention bias large enough that exp() of a masked score is exactly 0 in float32. */
const MASKED = -1e9;

export interface Encoded {
  /** The final LayerNorm's output [batch, seq, d] (hook 'encoded'). */
  encoded: string;
  /** 1 at tokens, 0 at PAD, [batch, seq]. */
  validFloat: string;
}

/**
 * Token + learned position embeddings (hook 'embeddings', [batch, seq, d], the cut point for
 * attribution), the blocks (hooks 'layer1' … 'layerN', [batch, seq, d]), the final LayerNorm.
 * Attention ignores PAD keys through an additive mask built in-graph from input_ids. Sequences
 * may be at most the dataset's maxLength (the position table's size).
 */
export function encoder(net: Net, ids: string, context: RecipeContext, c: EncoderConfig): Encoded {
  const [d, heads, layers, ff] = [positive(c.d, 'd'), positive(c.heads, 'heads'), positive(c.layers, 'layers'), positive(c.ff, 'ff')];
  const p = probability(c.dropout, 'dropout');
  if (d % heads !== 0) throw new GlassboxError('bad-config', `the model width d = ${d} must be divisible by heads = ${heads}`);
  const maxLength = positive(context.inputShape[0], 'the maximum sequence length');
  const { validFloat } = tokenMask(net, ids);
  const keyMask = net.scope('mask', () => net.op('Unsqueeze', [net.op('Mul', [net.op('Sub', [net.scalar(1), validFloat]), net.scalar(MASKED)]), net.ints([1, 2])]));

  const tokens = embedding(net, ids, 'embedding', context.vocabularySize!, d);
  const table = net.param('position.weight', net.init.normal('position.weight', [maxLength, d]));
  const embedded = net.scope('position', () => net.op('Add', [tokens, net.op('Gather', [table, positionIds(net, ids)], { axis: 0 })]));
  let x = net.hook(embedded, 'embeddings');
  x = net.dropout(x, 'embedding', p, ['batch', 'seq', d]);
  for (let i = 0; i < layers; i++) {
    const name = `encoder.${i}`;
    const attended = attention(net, layerNorm(net, x, `${name}.norm1`, d), `${name}.attn`, d, heads, keyMask, p);
    const h = net.scope(name, () => net.op('Add', [x, net.dropout(attended, `${name}.sa`, p, ['batch', 'seq', d])]));
    const inner = net.scope(`${name}.ff`, () => gelu(net, linear(net, layerNorm(net, h, `${name}.norm2`, d), `${name}.ff1`, d, ff, { rank: 3 })));
    const out = linear(net, net.dropout(inner, `${name}.ff`, p, ['batch', 'seq', ff]), `${name}.ff2`, ff, d, { rank: 3 });
    x = net.hook(net.scope(name, () => net.op('Add', [h, net.dropout(out, `${name}.ff_out`, p, ['batch', 'seq', d])])), `layer${i + 1}`);
  }
  return { encoded: net.hook(layerNorm(net, x, 'encoder.norm', d), 'encoded'), validFloat };
}
