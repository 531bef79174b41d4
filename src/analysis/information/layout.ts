/**
 * Where the batch lives in each layer. The optimisation graph runs many noisy rows at once and
 * must split every layer's value back into rows; exported models keep the batch on any axis
 * ([seq, batch, D] in PyTorch's sequence-first attention), sometimes merged with another dim
 * ([4·batch, seq, 8] for heads). Rather than trust symbolic shapes, the layer is run on one row,
 * on another, and on both together: the axis that doubles is the batch axis, and the two-row
 * value with that axis moved first must be the two one-row values one after the other (which
 * also holds for a merged, batch-major axis). A layer that mixes rows is refused.
 */
import { cloneModel } from '../../onnx/edit/clone.js';
import { exposeOutputs } from '../../onnx/edit/expose.js';
import type { Model } from '../../onnx/ir/model.js';
import type { Feeds } from '../../runtime/feeds.js';
import type { RuntimeOptions } from '../../runtime/options.js';
import { Session } from '../../runtime/session.js';
import { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import { Random } from '../../util/random.js';
import { axisFirst, extraFeeds } from './rows.js';

/** A layer's value for one input row, and the axis the rows of a batch are stacked along. */
export interface LayerLayout {
  layer: string;
  /** The axis that grows with the batch (0 for [batch, seq, D], 1 for [seq, batch, D]). */
  batchAxis: number;
}

/** Forward runs of the cut model that return the layers' values. */
export class LayerForward {
  private constructor(private readonly session: Session, readonly input: string, readonly layers: readonly string[]) {}

  static async create(cut: Model, input: string, layers: readonly string[], runtime?: RuntimeOptions): Promise<LayerForward> {
    const model = exposeOutputs(cloneModel(cut), layers);
    return new LayerForward(await Session.create(model, runtime), input, layers);
  }

  /** The layers' values for x [rows, ...] (extra feeds given with one row are repeated). */
  async values(x: Tensor, extra: Feeds = {}): Promise<Record<string, Tensor>> {
    const declared = this.session.inputs.filter((i) => i.name !== this.input);
    const feeds = { [this.input]: x, ...extraFeeds(declared, extra, x.shape[0]!) };
    return this.session.run(feeds, { outputs: [...this.layers] });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * Finds each layer's batch axis by running x, a perturbed x', and both as one batch. `clean`
 * holds the layers' values for x (one row), already computed by the caller.
 */
export async function probeLayouts(forward: LayerForward, x: Tensor, extra: Feeds, clean: Record<string, Tensor>): Promise<LayerLayout[]> {
  const other = perturbed(x);
  const single = await forward.values(other, extra);
  const both = Tensor.float32([2, ...x.shape.slice(1)], [...(x.data as Float32Array), ...(other.data as Float32Array)]);
  let pair: Record<string, Tensor>;
  try {
    pair = await forward.values(both, extra);
  } catch (error) {
    throw new GlassboxError('not-applicable', `the model cannot run two rows at once (${(error as Error).message.slice(0, 200)}); measure with noiseSamples 1 and batchLayers false`);
  }
  return forward.layers.map((layer) => {
    const a = clean[layer]!;
    const b = single[layer]!;
    const ab = pair[layer]!;
    const grown = ab.shape.flatMap((d, i) => (d === 2 * a.shape[i]! ? [i] : []));
    const same = ab.shape.every((d, i) => d === a.shape[i]);
    if (ab.rank !== a.rank || grown.length === 0 || same) {
      throw new GlassboxError('not-applicable', `layer "${layer}" has shape [${a.shape.join(', ')}] for one input row and [${ab.shape.join(', ')}] for two: no axis holds the batch, so its rows cannot be told apart`);
    }
    // Of several candidate axes (a dim that happens to be 1 on both), the one that splits right wins.
    for (const axis of grown) {
      if (ab.shape.some((d, i) => i !== axis && d !== a.shape[i])) continue;
      if (splitsInto(ab, axis, a, b)) return { layer, batchAxis: axis };
    }
    throw new GlassboxError('not-applicable', `layer "${layer}" mixes the rows of a batch (its value for two inputs is not the two values side by side); measure it with noiseSamples 1 and batchLayers false`);
  });
}

/** Whether `ab` with `axis` moved first is a's rows followed by b's. */
function splitsInto(ab: Tensor, axis: number, a: Tensor, b: Tensor): boolean {
  const joined = axisFirst(ab.data as Float32Array, ab.shape, axis);
  const first = axisFirst(a.data as Float32Array, a.shape, axis);
  const second = axisFirst(b.data as Float32Array, b.shape, axis);
  let scale = 1;
  for (const v of joined) scale = Math.max(scale, Math.abs(v));
  const tol = 1e-4 * scale;
  for (let i = 0; i < first.length; i++) if (!(Math.abs(joined[i]! - first[i]!) <= tol)) return false;
  for (let i = 0; i < second.length; i++) if (!(Math.abs(joined[first.length + i]! - second[i]!) <= tol)) return false;
  return true;
}

/** x plus noise of half its std (fixed seed): a second row unlike the first. */
function perturbed(x: Tensor): Tensor {
  const data = x.data as Float32Array;
  let sum = 0;
  let sq = 0;
  for (const v of data) (sum += v), (sq += v * v);
  const std = Math.sqrt(Math.max(sq / data.length - (sum / data.length) ** 2, 0)) || 1;
  const random = new Random(12345);
  return Tensor.float32(x.shape, Array.from(data, (v) => v + 0.5 * std * random.normal()));
}
