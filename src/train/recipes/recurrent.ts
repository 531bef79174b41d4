/**
 * The LSTM and GRU text classifiers: embedding → stacked ONNX LSTM/GRU nodes → the final hidden
 * state → a linear classifier. Padding (id 0, at the end of each row) is handled by
 * sequence_lens, counted in-graph from input_ids != 0: the recurrence stops at each row's last
 * token and its outputs past the end are zero.
 */
import type { Recipe } from '../types.js';
import { checkContext, embedding, linear, positionIds, positive, probability, tokenInput, tokenMask } from './layers.js';
import { Net } from './net.js';

export type RecurrentConfig = {
  /** Embedding dimension. */
  embedding: number;
  /** Hidden size per direction. */
  hidden: number;
  /** Stacked recurrent layers. */
  layers: number;
  bidirectional: boolean;
  /** Dropout on the embeddings, between layers and before the classifier (train form only). */
  dropout: number;
};

const GATES = { LSTM: 4, GRU: 3 } as const;

export function recurrentRecipe(op: 'LSTM' | 'GRU'): Recipe<RecurrentConfig> {
  const prefix = op.toLowerCase();
  return {
    name: prefix,
    description: `${op} text classifier (embedding dim, hidden size, layers, bidirectional; padding via sequence_lens)`,
    kinds: ['tokens'],
    defaults: { embedding: 64, hidden: 64, layers: 1, bidirectional: false, dropout: 0.2 },
    build(context, config, form) {
      checkContext(this, context);
      const c = { ...this.defaults, ...config };
      const [E, H, L] = [positive(c.embedding, `${prefix} embedding`), positive(c.hidden, `${prefix} hidden`), positive(c.layers, `${prefix} layers`)];
      const p = probability(c.dropout, `${prefix} dropout`);
      const dirs = c.bidirectional ? 2 : 1;
      const net = new Net(prefix, form, context.seed);
      const ids = tokenInput(net);
      const { valid } = tokenMask(net, ids);
      // Tokens per row, int64 [batch]; the LSTM/GRU nodes take them as int32 sequence_lens.
      const lengths = net.scope('mask', () => net.op('ReduceSum', [net.op('Cast', [valid], { to: 7 }), net.ints([1])], { keepdims: 0 }));
      const sequenceLens = net.scope('mask', () => net.op('Cast', [lengths], { to: 6 }));
      let h = net.hook(embedding(net, ids, 'embedding', context.vocabularySize!, E), 'embeddings');
      let [width, last] = [E, 'embedding'];
      for (let l = 0; l < L; l++) {
        const name = `${prefix}.${l}`;
        const x = net.dropout(h, last, p, ['batch', 'seq', width]);
        // PyTorch's default init for every recurrent weight and bias: U(±1/√hidden).
        const bound = 1 / Math.sqrt(H);
        const G = GATES[op];
        const w = (suffix: string, shape: number[]): string => net.param(`${name}.${suffix}`, net.init.uniform(`${name}.${suffix}`, shape, bound));
        const W = w('weight_ih', [dirs, G * H, width]);
        const R = w('weight_hh', [dirs, G * H, H]);
        const B = w('bias', [dirs, 2 * G * H]);
        const y = net.scope(name, () => {
          const attrs = { hidden_size: H, direction: c.bidirectional ? 'bidirectional' : 'forward', ...(op === 'GRU' ? { linear_before_reset: 1 } : {}) };
          // onnxruntime runs recurrent nodes in layout 0 only: [seq, batch, input] in, [seq, dirs, batch, H] out.
          const [Y] = net.b.op(op, [net.op('Transpose', [x], { perm: [1, 0, 2] }), W, R, B, sequenceLens], attrs, { outputs: 1 });
          return net.op('Reshape', [net.op('Transpose', [Y!], { perm: [2, 0, 1, 3] }), net.ints([0, 0, dirs * H])]);
        });
        h = net.hook(y, `layer${l + 1}`);
        [width, last] = [dirs * H, name];
      }
      const pooled = net.hook(finalState(net, h, ids, lengths, dirs, H), 'pooled');
      const logits = linear(net, net.dropout(pooled, last, p, ['batch', width]), 'classifier', width, context.classes);
      return net.finish(net.hook(logits, 'logits'), ['batch', context.classes], context, c);
    },
  };
}

/**
 * The final hidden state of each direction, read from the last layer's outputs [batch, seq,
 * dirs·H] (what the node's Y_h holds: forward at position length − 1, reverse at position 0), so
 * that 'layerN' stays on the path to the logits and can be hooked and differentiated.
 */
function finalState(net: Net, y: string, ids: string, lengths: string, dirs: number, H: number): string {
  return net.scope('final_state', () => {
    const positions = positionIds(net, ids);
    const at = (position: string): string => net.op('Unsqueeze', [net.op('Cast', [net.op('Equal', [positions, position])], { to: 1 }), net.ints([2, 3])]);
    const lastStep = at(net.op('Unsqueeze', [net.op('Sub', [lengths, net.int(1)]), net.ints([1])]));
    const select = dirs === 1 ? lastStep : net.op('Concat', [lastStep, at(net.int(0))], { axis: 2 });
    const perDirection = net.op('Reshape', [y, net.ints([0, 0, dirs, H])]);
    const state = net.op('ReduceSum', [net.op('Mul', [perDirection, select]), net.ints([1])], { keepdims: 0 });
    return net.op('Reshape', [state, net.ints([0, dirs * H])]);
  });
}
