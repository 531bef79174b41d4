import { allocate, type DataFor, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Rewriter, Rule } from './context.js';

/**
 * GroupNormalization-18 took one scale and bias per group; since 21 they are per channel. Each
 * group value is repeated C / num_groups times. With constant scale/bias and a static channel
 * count the repeated weights are new initializers; otherwise the repetition is computed from
 * Shape(x) at run time (Reshape [G,1] -> Expand [G, C/G] -> Reshape [-1]).
 */
export const groupNormRule: Rule = {
  ops: ['GroupNormalization'],
  apply(node, rw) {
    if (rw.opset >= 21) return;
    const groups = node.int('num_groups');
    const x = node.inputs[0] ?? '';
    const channels = rw.graph.typeOf(x)?.shape?.[1];
    for (const i of [1, 2]) {
      const name = node.inputs[i] ?? '';
      const value = rw.constantValue(name);
      node.inputs[i] = typeof channels === 'number' && value && value.dtype !== 'string' && value.size === groups
        ? rw.constant(`${name}_per_channel`, repeatEach(value, channels / groups))
        : repeatAtRunTime(rw, name, x, groups);
    }
    // stash_type (new at 21) defaults to float32; opset 18 computed in the input's own type.
    const dtype = rw.dtype(x);
    if (dtype !== undefined && dtype !== 'float32') node.setAttr('stash_type', rw.facts.elemType(x)!);
  },
};

function repeatEach(value: Tensor, times: number): Tensor {
  const source = value.data as Exclude<DataFor[DType], string[]>;
  const out = allocate(value.dtype, value.size * times) as Exclude<DataFor[DType], string[]>;
  for (let i = 0; i < out.length; i++) (out as unknown as Record<number, unknown>)[i] = source[Math.floor(i / times)];
  return new Tensor(value.dtype, [out.length], out as never);
}

function repeatAtRunTime(rw: Rewriter, name: string, x: string, groups: number): string {
  const channels = rw.op('Shape', [x], { start: 1, end: 2 });
  const perGroup = rw.op('Div', [channels, rw.int64s('num_groups', [groups])]);
  const target = rw.op('Concat', [rw.int64s('one', [1]), perGroup], { axis: 0 });
  const column = rw.op('Reshape', [name, rw.int64s('shape', [-1, 1])]);
  return rw.op('Reshape', [rw.op('Expand', [column, target]), rw.int64s('shape', [-1])]);
}
