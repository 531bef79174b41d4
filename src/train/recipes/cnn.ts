import { GlassboxError } from '../../util/errors.js';
import type { Dim } from '../../onnx/ir/value.js';
import type { Recipe } from '../types.js';
import { batchNorm, checkContext, conv, floatInput, linear, positive, probability } from './layers.js';
import { Net } from './net.js';

export type CnnConfig = {
  /** Number of conv blocks (conv → [BatchNorm] → ReLU → 2×2 max pool). */
  depth: number;
  /** Channels of the first block; block i has channels·width·2^i. */
  channels: number;
  /** Width multiplier on every block's channels. */
  width: number;
  /** Square kernel size; padding keeps the spatial size ("same"). */
  kernel: number;
  /** Fully connected hidden layers between the conv blocks and the classifier. */
  hidden: number[];
  /** BatchNorm2d after each conv (the conv then has no bias: BatchNorm cancels it). */
  batchnorm: boolean;
  /** Dropout after each block and hidden layer (train form only). */
  dropout: number;
};

/**
 * LeNet-like image classifier on [batch, C, H, W]. A block max-pools while both spatial sizes
 * are at least 2, so any depth fits any image.
 *
 * Hooks: 'layer1' … 'layerD' (conv block outputs, [batch, C_i, H_i, W_i]), then one per hidden
 * layer ('layer<D+1>' …, [batch, width]); 'pooled' (the classifier's input: the last hidden
 * layer, or the flattened last block). Weights: 'conv<i>.weight|bias', 'bn<i>.weight|bias|
 * running_mean|running_var', 'fc<j>.weight|bias', 'classifier.weight|bias'. Dropout masks
 * (train form), applied where the next layer reads a block's output: 'dropout.conv<i>'
 * [batch, C_i, H_i, W_i] (the last block's, after flattening, [batch, C·H·W]) and
 * 'dropout.fc<j>' [batch, width].
 */
export const cnn: Recipe<CnnConfig> = {
  name: 'cnn',
  description: 'LeNet-like CNN (conv blocks with width and depth knobs, optional BatchNorm and dropout, max pooling)',
  kinds: ['image'],
  defaults: { depth: 2, channels: 16, width: 1, kernel: 5, hidden: [128], batchnorm: false, dropout: 0 },
  build(context, config, form) {
    checkContext(this, context);
    const c = { ...this.defaults, ...config };
    const p = probability(c.dropout, 'cnn dropout');
    const [k, depth] = [positive(c.kernel, 'cnn kernel'), positive(c.depth, 'cnn depth')];
    if (!(c.width > 0)) throw new GlassboxError('bad-config', `cnn width must be positive, not ${JSON.stringify(c.width)}`);
    if (context.inputShape.length !== 3) throw new GlassboxError('bad-config', `cnn reads images [C, H, W], not inputs of shape [${context.inputShape.join(', ')}]`);
    const net = new Net('cnn', form, context.seed);
    let [channels, height, width] = context.inputShape as [number, number, number];
    let h = floatInput(net, context.inputShape);
    // Dropout applies where a block's output is read by the next layer; hooks see it undropped.
    let last: { name: string; shape: Dim[] } | undefined;
    const drop = (x: string): string => (last ? net.dropout(x, last.name, p, last.shape) : x);
    let layer = 0;
    for (let i = 0; i < depth; i++) {
      const out = Math.max(1, Math.round(c.channels * c.width * 2 ** i));
      const before = (k - 1) >> 1;
      let y = conv(net, drop(h), `conv${i + 1}`, channels, out, [k, k], [before, before, k - 1 - before, k - 1 - before], !c.batchnorm);
      if (c.batchnorm) y = batchNorm(net, y, `bn${i + 1}`, out, 4);
      y = net.scope(`block${i + 1}`, () => {
        const r = net.op('Relu', [y]);
        if (height < 2 || width < 2) return r;
        [height, width] = [height >> 1, width >> 1];
        return net.op('MaxPool', [r], { kernel_shape: [2, 2], strides: [2, 2] });
      });
      channels = out;
      h = net.hook(y, `layer${++layer}`);
      last = { name: `conv${i + 1}`, shape: ['batch', channels, height, width] };
    }
    h = net.op('Flatten', [h], { axis: 1 });
    let features = channels * height * width;
    if (last) last.shape = ['batch', features];
    c.hidden.forEach((size, j) => {
      positive(size, 'every cnn hidden size');
      const y = net.scope(`act${layer + 1}`, () => net.op('Relu', [linear(net, drop(h), `fc${j + 1}`, features, size)]));
      h = net.hook(y, `layer${++layer}`);
      [features, last] = [size, { name: `fc${j + 1}`, shape: ['batch', size] }];
    });
    const pooled = net.hook(h, 'pooled');
    const logits = linear(net, drop(pooled), 'classifier', features, context.classes);
    return net.finish(net.hook(logits, 'logits'), ['batch', context.classes], context, c);
  },
};
