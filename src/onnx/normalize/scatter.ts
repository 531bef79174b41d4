import type { Rule } from './context.js';

/** Scatter (deprecated at opset 11) is ScatterElements under another name: same inputs and axis. */
export const scatterRule: Rule = {
  ops: ['Scatter'],
  apply(node) {
    node.opType = 'ScatterElements';
  },
};
