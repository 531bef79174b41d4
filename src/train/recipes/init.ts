/**
 * Seeded initial weights with PyTorch's default initialisation of each layer type.
 *
 * Every weight draws from its own stream, seeded by (seed, weight name): the values of a weight
 * do not depend on the order layers are built in or on which other layers exist. So the eval
 * and train forms agree by construction, and 'transformer' and 'mlm' built with one seed share
 * the same initial encoder.
 */
import { Tensor } from '../../tensor/tensor.js';
import { Random } from '../../util/random.js';

export class Init {
  constructor(readonly seed: number) {}

  /** The generator for one weight: FNV-1a over the name, mixed with the seed. */
  random(name: string): Random {
    let h = 0x811c9dc5 ^ (this.seed >>> 0);
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    return new Random(Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0);
  }

  /** U(−bound, bound). */
  uniform(name: string, shape: readonly number[], bound: number): Tensor<'float32'> {
    const r = this.random(name);
    const t = Tensor.float32(shape);
    r.fill(t.data, () => r.uniform(-bound, bound));
    return t;
  }

  /** N(0, 1). */
  normal(name: string, shape: readonly number[]): Tensor<'float32'> {
    const t = Tensor.float32(shape);
    this.random(name).fill(t.data);
    return t;
  }
}

/**
 * Linear and Conv: kaiming_uniform_(a=√5) for the weight, which is U(±1/√fan_in), and
 * U(±1/√fan_in) for the bias (fan_in = in_features, or in_channels·kernel size).
 */
export function fanInBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}

export function constant(shape: readonly number[], value: number): Tensor<'float32'> {
  return Tensor.float32(shape, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value));
}
