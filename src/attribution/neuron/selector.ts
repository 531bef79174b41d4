import { GlassboxError } from '../../util/errors.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/** A neuron of a layer: its index within one row (Captum's neuron_selector as a tuple of ints). */
export type NeuronSelector = number | readonly number[];

/**
 * The vjp seed that picks one neuron in every row of a layer of shape [rows, ...]: a one-hot per
 * row, so the gradient is that neuron's. Negative indices count from the end, as in Python.
 */
export function neuronSeed(layer: string, selector: NeuronSelector): (shape: readonly number[]) => Tensor {
  const index = typeof selector === 'number' ? [selector] : [...selector];
  return (shape) => {
    const row = shape.slice(1);
    if (index.length !== row.length) {
      throw new GlassboxError('bad-neuron', `the neuron selector [${index.join(', ')}] has ${index.length} indices but a row of "${layer}" has ${row.length} dims (shape ${formatShape(shape)})`);
    }
    let offset = 0;
    index.forEach((i, d) => {
      const dim = row[d]!;
      const at = i < 0 ? i + dim : i;
      if (!Number.isInteger(i) || at < 0 || at >= dim) {
        throw new GlassboxError('bad-neuron', `neuron index ${i} is out of range for dim ${d + 1} of "${layer}" (shape ${formatShape(shape)})`);
      }
      offset = offset * dim + at;
    });
    const per = sizeOf(row);
    const seed = Tensor.float32(shape);
    for (let r = 0; r < shape[0]!; r++) (seed.data as Float32Array)[r * per + offset] = 1;
    return seed;
  };
}
