import { Random } from '../../../../src/util/random.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import type { Dim } from '../../../../src/onnx/ir/value.js';
import { recipe } from '../../../../src/train/recipes/index.js';
import type { RecipeContext, RecipeGraph } from '../../../../src/train/types.js';

/** A recipe in a small config, what it must expose, and the weights to gradcheck. */
export interface Case {
  label: string;
  recipe: string;
  context: RecipeContext;
  config: Record<string, unknown>;
  /** Hook name → expected shape for a batch of 3 and sequence length 6. */
  hooks: Record<string, number[]>;
  gradcheck: string[];
}

const B = 3;
const S = 6;
const VOCAB = 23;
const tokens = (seed: number): RecipeContext => ({ kind: 'tokens', inputShape: [10], classes: 3, vocabularySize: VOCAB, seed });

export const CASES: Case[] = [
  {
    label: 'mlp (vector, batchnorm, dropout, gelu)', recipe: 'mlp', context: { kind: 'vector', inputShape: [6], classes: 4, seed: 1 },
    config: { hidden: [5, 4], activation: 'gelu', dropout: 0.3, batchnorm: true },
    hooks: { layer1: [B, 5], layer2: [B, 4], pooled: [B, 4] }, gradcheck: ['fc1.weight', 'bn2.weight'],
  },
  {
    label: 'mlp (image, tanh)', recipe: 'mlp', context: { kind: 'image', inputShape: [1, 4, 4], classes: 3, seed: 2 },
    config: { hidden: [7], activation: 'tanh', dropout: 0.2 },
    hooks: { layer1: [B, 7], pooled: [B, 7] }, gradcheck: ['fc1.weight', 'classifier.bias'],
  },
  {
    label: 'cnn (batchnorm, dropout)', recipe: 'cnn', context: { kind: 'image', inputShape: [2, 8, 8], classes: 5, seed: 3 },
    config: { depth: 2, channels: 3, width: 1, kernel: 3, hidden: [6], batchnorm: true, dropout: 0.2 },
    hooks: { layer1: [B, 3, 4, 4], layer2: [B, 6, 2, 2], layer3: [B, 6], pooled: [B, 6] }, gradcheck: ['conv1.weight', 'bn2.bias'],
  },
  {
    label: 'cnn (width 1.5, depth 3, even kernel)', recipe: 'cnn', context: { kind: 'image', inputShape: [1, 6, 6], classes: 3, seed: 4 },
    config: { depth: 3, channels: 2, width: 1.5, kernel: 2, hidden: [], dropout: 0.1 },
    hooks: { layer1: [B, 3, 3, 3], layer2: [B, 6, 1, 1], layer3: [B, 12, 1, 1], pooled: [B, 12] }, gradcheck: ['conv1.weight', 'conv2.bias'],
  },
  {
    label: 'lstm (2 layers, bidirectional)', recipe: 'lstm', context: tokens(5),
    config: { embedding: 6, hidden: 5, layers: 2, bidirectional: true, dropout: 0.2 },
    hooks: { embeddings: [B, S, 6], layer1: [B, S, 10], layer2: [B, S, 10], pooled: [B, 10] }, gradcheck: ['lstm.0.weight_hh', 'embedding.weight'],
  },
  {
    label: 'gru (bidirectional)', recipe: 'gru', context: tokens(6),
    config: { embedding: 6, hidden: 5, layers: 1, bidirectional: true, dropout: 0.1 },
    hooks: { embeddings: [B, S, 6], layer1: [B, S, 10], pooled: [B, 10] }, gradcheck: ['gru.0.weight_ih', 'gru.0.bias'],
  },
  {
    label: 'textcnn', recipe: 'textcnn', context: tokens(7),
    config: { embedding: 6, kernels: [2, 3], filters: 4, dropout: 0.5 },
    hooks: { embeddings: [B, S, 6], layer1: [B, S, 8], pooled: [B, 8] }, gradcheck: ['convs.1.weight', 'embedding.weight'],
  },
  {
    label: 'transformer', recipe: 'transformer', context: tokens(8),
    config: { d: 8, heads: 2, layers: 2, ff: 12, dropout: 0.1 },
    hooks: { embeddings: [B, S, 8], layer1: [B, S, 8], layer2: [B, S, 8], encoded: [B, S, 8], pooled: [B, 8] },
    gradcheck: ['encoder.0.attn.qkv.weight', 'position.weight'],
  },
  {
    label: 'mlm (tied)', recipe: 'mlm', context: tokens(9),
    config: { d: 8, heads: 2, layers: 1, ff: 12, dropout: 0.1, tied: true },
    hooks: { embeddings: [B, S, 8], layer1: [B, S, 8], encoded: [B, S, 8] }, gradcheck: ['embedding.weight', 'encoder.0.ff1.weight'],
  },
  {
    label: 'mlm (untied)', recipe: 'mlm', context: tokens(10),
    config: { d: 8, heads: 4, layers: 1, ff: 12, dropout: 0, tied: false },
    hooks: { embeddings: [B, S, 8], layer1: [B, S, 8], encoded: [B, S, 8] }, gradcheck: ['mlm.decoder.weight', 'encoder.0.attn.out.weight'],
  },
];

export function build(c: Case, form: 'eval' | 'train'): RecipeGraph {
  return recipe(c.recipe).build(c.context, c.config, form);
}

export const BATCH = B;
export const SEQ = S;

/** Token rows of lengths S, S − 2 and 3 (PAD = 0 after each row's end), ids in 1 … VOCAB − 1. */
export function tokenIds(seed: number, lengths: readonly number[] = [S, S - 2, 3], seq = S): Tensor {
  const r = new Random(seed);
  const ids = lengths.flatMap((n) => Array.from({ length: seq }, (_, t) => (t < n ? 1 + r.int(VOCAB - 1) : 0)));
  return Tensor.int64([lengths.length, seq], ids);
}

/** The model input for a batch of 3 (images and vectors: N(0, 1)). */
export function inputFor(c: Case, seed = 11): Record<string, Tensor> {
  if (c.context.kind === 'tokens') return { input_ids: tokenIds(seed) };
  const shape = [B, ...c.context.inputShape];
  const t = Tensor.float32(shape);
  new Random(seed).fill(t.data);
  return { input: t };
}

export function dims(shape: readonly Dim[], batch = B, seq = S): number[] {
  return shape.map((d) => (d === 'batch' ? batch : d === 'seq' ? seq : (d as number)));
}

/** Dropout masks: all ones ('ones'), or 1/keep and 0 drawn with the mask's keep probability. */
export function masksFor(graph: RecipeGraph, mode: 'ones' | 'random', seed = 5, batch = B, seq = S): Record<string, Tensor> {
  const r = new Random(seed);
  return Object.fromEntries(graph.masks.map((m) => {
    const t = Tensor.float32(dims(m.shape, batch, seq));
    t.data.fill(1);
    if (mode === 'random') for (let i = 0; i < t.size; i++) t.data[i] = r.next() < m.keep ? 1 / m.keep : 0;
    return [m.name, t];
  }));
}
