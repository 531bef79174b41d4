import { GlassboxError } from '../../util/errors.js';
import type { Recipe } from '../types.js';
import { checkContext, conv, embedding, linear, positive, probability, tokenInput, tokenMask } from './layers.js';
import { Net } from './net.js';

export type TextCnnConfig = {
  /** Embedding dimension. */
  embedding: number;
  /** Kernel sizes of the parallel 1-D convolutions. */
  kernels: number[];
  /** Filters per kernel size. */
  filters: number;
  /** Dropout before the classifier (train form only), as in Kim (2014). */
  dropout: number;
};

/**
 * 1-D CNN text classifier (Kim 2014) on input_ids [batch, seq] (0 = PAD).
 *
 * Padding: the embeddings of PAD tokens are zeroed and every convolution is padded to keep the
 * length ("same"), so a window running past a sentence's end sees zeros whether the row was
 * padded or not; ReLU features at PAD positions are zeroed before the max over time (all kept
 * features are ≥ 0, so the zeros never win over a real position's maximum).
 *
 * Hooks: 'embeddings' [batch, seq, E] (the embedding lookup, the cut point for attribution),
 * 'layer1' (ReLU features of all convolutions per position, [batch, seq, kernels·filters]),
 * 'pooled' (max over time of 'layer1' at non-PAD positions, [batch, kernels·filters]).
 * Weights: 'embedding.weight', 'convs.<j>.weight' [filters, E, k_j], 'convs.<j>.bias',
 * 'classifier.weight|bias'. Dropout mask (train form): 'dropout.pooled' [batch, kernels·filters].
 */
export const textcnn: Recipe<TextCnnConfig> = {
  name: 'textcnn',
  description: '1-D CNN text classifier (several kernel sizes, max over time ignoring padding)',
  kinds: ['tokens'],
  defaults: { embedding: 64, kernels: [3, 4, 5], filters: 32, dropout: 0.5 },
  build(context, config, form) {
    checkContext(this, context);
    const c = { ...this.defaults, ...config };
    const [E, F] = [positive(c.embedding, 'textcnn embedding'), positive(c.filters, 'textcnn filters')];
    const p = probability(c.dropout, 'textcnn dropout');
    if (c.kernels.length === 0) throw new GlassboxError('bad-config', 'textcnn needs at least one kernel size');
    const net = new Net('textcnn', form, context.seed);
    const ids = tokenInput(net);
    const { validFloat } = tokenMask(net, ids);
    const keep = net.scope('mask', () => net.op('Unsqueeze', [validFloat, net.ints([2])]));
    const emb = net.hook(embedding(net, ids, 'embedding', context.vocabularySize!, E), 'embeddings');
    const channelsFirst = net.scope('convs', () => net.op('Transpose', [net.op('Mul', [emb, keep])], { perm: [0, 2, 1] }));
    const maps = c.kernels.map((k, j) => {
      positive(k, 'every textcnn kernel size');
      const before = (k - 1) >> 1;
      return conv(net, channelsFirst, `convs.${j}`, E, F, [k], [before, k - 1 - before]);
    });
    const width = F * c.kernels.length;
    const features = net.scope('convs', () => {
      const all = maps.length === 1 ? maps[0]! : net.op('Concat', maps, { axis: 1 });
      return net.op('Relu', [net.op('Transpose', [all], { perm: [0, 2, 1] })]);
    });
    const layer = net.hook(features, 'layer1');
    const pooled = net.hook(net.scope('pool', () => net.op('ReduceMax', [net.op('Mul', [layer, keep])], { axes: [1], keepdims: 0 })), 'pooled');
    const logits = linear(net, net.dropout(pooled, 'pooled', p, ['batch', width]), 'classifier', width, context.classes);
    return net.finish(net.hook(logits, 'logits'), ['batch', context.classes], context, c);
  },
};
