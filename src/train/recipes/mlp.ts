import type { Recipe } from '../types.js';
import { activation, batchNorm, checkContext, floatInput, linear, positive, probability, type Activation } from './layers.js';
import { Net } from './net.js';

export type MlpConfig = {
  /** Hidden layer widths, first to last (empty: a linear classifier). */
  hidden: number[];
  activation: Activation;
  /** Dropout probability after every hidden layer (train form only). */
  dropout: number;
  /** BatchNorm1d between each hidden Linear and its activation (the Linear then has no bias). */
  batchnorm: boolean;
};

/**
 * Multi-layer perceptron for feature vectors [batch, D] or images [batch, C, H, W] (flattened).
 *
 * Hooks: 'layer1' … 'layerK' (each hidden layer after its activation, [batch, width]),
 * 'pooled' (the classifier's input: the last hidden layer, or the flattened input).
 * Weights: 'fc<i>.weight|bias', 'bn<i>.weight|bias|running_mean|running_var',
 * 'classifier.weight|bias'. Dropout masks (train form): 'dropout.fc<i>' [batch, width].
 */
export const mlp: Recipe<MlpConfig> = {
  name: 'mlp',
  description: 'multi-layer perceptron (hidden sizes, relu/tanh/gelu, dropout, optional BatchNorm)',
  kinds: ['vector', 'image'],
  defaults: { hidden: [256, 128], activation: 'relu', dropout: 0, batchnorm: false },
  build(context, config, form) {
    checkContext(this, context);
    const c = { ...this.defaults, ...config };
    const p = probability(c.dropout, 'mlp dropout');
    const net = new Net('mlp', form, context.seed);
    const input = floatInput(net, context.inputShape);
    let width = context.inputShape.reduce((a, b) => a * b, 1);
    let h = context.kind === 'image' ? net.op('Flatten', [input], { axis: 1 }) : input;
    // Dropout on every hidden layer's output (where the next layer reads it), not on the input.
    let last: string | undefined;
    const drop = (x: string): string => (last ? net.dropout(x, last, p, ['batch', width]) : x);
    c.hidden.forEach((size, i) => {
      positive(size, 'every mlp hidden size');
      const x = drop(h);
      let y = linear(net, x, `fc${i + 1}`, width, size, { bias: !c.batchnorm });
      if (c.batchnorm) y = batchNorm(net, y, `bn${i + 1}`, size, 2);
      h = net.hook(net.scope(`act${i + 1}`, () => activation(net, y, c.activation)), `layer${i + 1}`);
      [width, last] = [size, `fc${i + 1}`];
    });
    const pooled = net.hook(h, 'pooled');
    const logits = linear(net, drop(pooled), 'classifier', width, context.classes);
    return net.finish(net.hook(logits, 'logits'), ['batch', context.classes], context, c);
  },
};
