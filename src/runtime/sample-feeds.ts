import { GlassboxError } from '../util/errors.js';
import { Random } from '../util/random.js';
import { dtypeFromOnnx, isFloat } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Dim, ValueInfo } from '../onnx/ir/value.js';
import type { Feeds } from './feeds.js';

/** Sample inputs beyond this many elements (256 Mi) are refused: the declared shape is wrong. */
const MAX_SAMPLE_ELEMENTS = 2 ** 28;

export interface SampleFeedOptions {
  /** Size of the batch dim (axis 0 when it is symbolic). */
  batch: number;
  /** Sizes for other symbolic dims, by name (`<input>[axis]` for unnamed ones). */
  dims?: Record<string, number>;
  /** Use a second, different size for every non-batch symbolic dim (to see which dims follow it). */
  alternate?: boolean;
  seed?: number;
}

/**
 * Inputs that any model accepts, for probing shapes and checking gradients: floats uniform in
 * [-1, 1), integers and booleans zero (a valid index into any table).
 */
export function sampleFeeds(inputs: readonly ValueInfo[], options: SampleFeedOptions): Feeds {
  const random = new Random(options.seed ?? 1234);
  const batchSymbol = batchSymbolOf(inputs);
  const feeds: Feeds = {};
  for (const input of inputs) {
    if (!input.shape) throw new GlassboxError('unknown-shape', `input "${input.name}" has no declared shape; glassbox cannot guess one`);
    const shape = input.shape.map((d, axis) => {
      if (typeof d === 'number') return d;
      const key = dimKey(input, axis, d);
      if (axis === 0 && (key === batchSymbol || (d === null && batchSymbol === 'batch'))) return options.batch;
      const given = options.dims?.[key];
      if (given !== undefined) return options.alternate ? given + Math.max(1, Math.round(given / 2)) : given;
      return defaultSize(input, axis, options.alternate ?? false);
    });
    const size = shape.reduce((a, b) => a * b, 1);
    if (size > MAX_SAMPLE_ELEMENTS) {
      throw new GlassboxError('bad-input', `input "${input.name}" would have ${size} elements with shape ${formatShape(shape)}; give smaller sizes for its dims`);
    }
    const dtype = dtypeFromOnnx(input.elemType ?? 1);
    if (!dtype) throw new GlassboxError('unsupported-dtype', `input "${input.name}" has an element type glassbox does not support`);
    const tensor = Tensor.zeros(dtype, shape);
    if (isFloat(dtype) && dtype !== 'float16' && dtype !== 'bfloat16') random.fill(tensor.data as Float32Array, () => random.uniform(-1, 1));
    feeds[input.name] = tensor;
  }
  return feeds;
}

/** The symbol every batched input shares at axis 0 ('batch' for an unnamed one), if any. */
export function batchSymbolOf(inputs: readonly ValueInfo[]): string | undefined {
  for (const input of inputs) {
    const d = input.shape?.[0];
    if (typeof d === 'string' && d !== '') return d;
    if (d === null || input.shape === undefined) return 'batch';
  }
  return undefined;
}

/** Names of the dynamic non-batch input dims; an unnamed one is called `<input>[axis]`. */
export function otherSymbolicDims(inputs: readonly ValueInfo[]): string[] {
  const batch = batchSymbolOf(inputs);
  const out = new Set<string>();
  for (const input of inputs) {
    input.shape?.forEach((d, axis) => {
      if (typeof d === 'number') return;
      const key = dimKey(input, axis, d);
      if (key !== batch && !(axis === 0 && d === null)) out.add(key);
    });
  }
  return [...out];
}

function dimKey(input: ValueInfo, axis: number, d: Dim): string {
  return typeof d === 'string' && d !== '' ? d : `${input.name}[${axis}]`;
}

/**
 * Sizes for non-batch symbolic dims when none are given: image-like spatial dims get multiples
 * of 32 (detection backbones need them), sequence-like dims small lengths.
 */
function defaultSize(input: ValueInfo, axis: number, alternate: boolean): number {
  const rank = input.shape?.length ?? 0;
  if (rank === 4 && axis >= 2) return alternate ? 96 : 64;
  if (rank <= 3 && axis === 1) return alternate ? 9 : 7;
  return alternate ? 24 : 16;
}
