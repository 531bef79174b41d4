import type { Dim } from '../ir/value.js';
import type { Rule, RuleTable, ValueType } from './types.js';

/**
 * LSTM, GRU and RNN. X is [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1,
 * opset 14+); Y is [seq, dirs, batch, hidden] or [batch, seq, dirs, hidden]; Y_h (and LSTM's
 * Y_c) [dirs, batch, hidden] or [batch, dirs, hidden].
 */
const recurrent: Rule = (ctx) => {
  const elemType = ctx.elemType(0);
  const typed = (shape?: Dim[]): ValueType => ({ ...(elemType !== undefined ? { elemType } : {}), ...(shape ? { shape } : {}) });
  const x = ctx.shape(0);
  const layout = ctx.node.int('layout', 0);
  const dirs = ctx.node.has('direction') && ctx.node.string('direction') === 'bidirectional' ? 2 : 1;
  // R is [dirs, gates * hidden, hidden]: its last dim is the hidden size even without the attribute.
  const hidden: Dim = ctx.node.has('hidden_size') ? ctx.node.int('hidden_size') : ctx.shape(2)?.[2] ?? null;
  if (!x || x.length !== 3) return ctx.node.outputs.map(() => typed());
  const [seq, batch] = layout === 0 ? [x[0]!, x[1]!] : [x[1]!, x[0]!];
  const y = layout === 0 ? [seq, dirs, batch, hidden] : [batch, seq, dirs, hidden];
  const state = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
  return ctx.node.outputs.map((_, i) => typed(i === 0 ? y : [...state]));
};

export const recurrentRules: RuleTable = { LSTM: recurrent, GRU: recurrent, RNN: recurrent };
