import { dtypeToOnnx } from '../tensor/dtype.js';
import type { GraphBuilder } from '../onnx/builder.js';
import { Tensor } from '../tensor/tensor.js';

export type LossKind = 'classification' | 'masked-lm';

/** Label id the masked-LM loss ignores (positions that were not masked), as in PyTorch. */
export const IGNORE_INDEX = -100;

/**
 * Appends cross-entropy to a graph and returns the scalar loss value's name.
 * classification: logits [batch, classes], labels int64 [batch]: mean over the batch of
 *   −log softmax(logits)[label] (torch.nn.functional.cross_entropy).
 * masked-lm: logits [batch, seq, vocab], labels int64 [batch, seq] with IGNORE_INDEX where no
 *   prediction is asked: the mean over the other positions (0 when there are none).
 */
export function appendCrossEntropy(b: GraphBuilder, logits: string, labels: string, kind: LossKind): string {
  const logp = b.op('LogSoftmax', [logits], { axis: -1 });
  if (kind === 'classification') {
    const picked = b.op('GatherElements', [logp, b.op('Unsqueeze', [labels, ints(b, [1])])], { axis: 1 });
    return b.op('Neg', [b.op('ReduceMean', [picked], { keepdims: 0 })]);
  }
  const valid = b.op('Not', [b.op('Equal', [labels, b.constant('ignore', Tensor.int64([], [IGNORE_INDEX]))])]);
  const safe = b.op('Where', [valid, labels, b.constant('zero_id', Tensor.int64([], [0]))]);
  const picked = b.op('Squeeze', [b.op('GatherElements', [logp, b.op('Unsqueeze', [safe, ints(b, [-1])])], { axis: -1 }), ints(b, [-1])]);
  const weight = b.op('Cast', [valid], { to: dtypeToOnnx('float32') });
  const total = b.op('ReduceSum', [b.op('Mul', [picked, weight])], { keepdims: 0 });
  const count = b.op('Max', [b.op('ReduceSum', [weight], { keepdims: 0 }), b.constant('one', Tensor.float32([], [1]))]);
  return b.op('Neg', [b.op('Div', [total, count])]);
}

function ints(b: GraphBuilder, values: number[]): string {
  return b.constant('axes', Tensor.int64([values.length], values));
}
