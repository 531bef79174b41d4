/**
 * What the layer and neuron methods share: resolving a layer (a tensor of the model), running
 * the model forward with that layer exposed, from a float input or from token ids, and
 * baselines of either kind. Rows, targets and feeds along a path are expanded with the
 * gradient family's helpers (gradient/common.ts), so layouts agree with Captum's everywhere.
 */
import { GlassboxError } from '../../util/errors.js';
import { dtypeFromOnnx, isFloat } from '../../tensor/dtype.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { concatBatch, Tensor } from '../../tensor/tensor.js';
import { cloneModel } from '../../onnx/edit/clone.js';
import { exposeOutputs } from '../../onnx/edit/expose.js';
import type { Model } from '../../onnx/ir/model.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Session } from '../../runtime/session.js';
import type { Explainable } from '../explainable.js';
import { expandRows } from '../util/tensor-ops.js';
import type { GradientOptions } from '../gradient/base.js';
import type { Baselines } from '../types.js';
import { expandBaseline } from '../util/baselines.js';

/**
 * Options every layer and neuron method takes besides its own: the gradient family's
 * (additionalForwardArgs, internalBatchSize, onProgress), the target where a method has one.
 */
export type CommonOptions = Omit<GradientOptions, 'target'>;

/** Declared rank of a tensor of the model, or undefined when shape inference left it unknown. */
export function declaredRank(model: Model, name: string): number | undefined {
  return model.graph.typeOf(name)?.shape?.length;
}

/** Fails with a one-line error, suggesting names, when the model has no tensor `name`. */
export function checkLayer(model: Model, name: string): void {
  if (!model.graph.valueNames().has(name)) {
    // exposeOutputs words the error (with suggestions) the same way everywhere.
    exposeOutputs(cloneModel(model), [name]);
  }
}

/**
 * The tensor a layer "input" means (Captum's attribute_to_layer_input): the data input — the
 * first input — of the node that produces `layer`.
 */
export function layerInputOf(model: Model, layer: string): string {
  const producer = model.graph.producers().get(layer);
  if (!producer) throw new GlassboxError('bad-tensor-name', `"${layer}" is not produced by a node, so it has no layer input to attribute to`);
  const first = producer.node.inputs[0];
  if (!first) throw new GlassboxError('not-applicable', `the node producing "${layer}" has no data input to attribute to`);
  return first;
}

/**
 * Which model takes `input` and under what name: a float tensor is the explainable's attributed
 * tensor (its possibly cut model); an integer tensor — token ids — is a raw input of the uncut
 * model, so a layer method can start from ids as Captum's LayerIntegratedGradients does.
 */
export function modelFor(explainable: Explainable, input: Tensor, extra: Feeds): { model: Model; inputName: string } {
  if (isFloat(input.dtype)) return { model: explainable.model, inputName: explainable.input };
  const feedInputs = explainable.full.graph.feedInputs;
  const candidates = feedInputs.filter((i) => !(i.name in extra) && dtypeFromOnnx(i.elemType ?? 0) === input.dtype);
  if (candidates.length !== 1) {
    const names = feedInputs.map((i) => `"${i.name}"`).join(', ');
    throw new GlassboxError('bad-input', candidates.length === 0
      ? `the model has no ${input.dtype} input for a ${input.dtype} tensor (its inputs: ${names})`
      : `the model has several ${input.dtype} inputs (${candidates.map((i) => `"${i.name}"`).join(', ')}); pass all but the attributed one in additionalForwardArgs`);
  }
  return { model: explainable.full, inputName: candidates[0]!.name };
}

/** Feeds for `model`: the input under its name, and every other input from `extra` (one row is broadcast). */
export function feedsFor(model: Model, inputName: string, input: Tensor, extra: Feeds): Feeds {
  const rows = input.shape[0]!;
  const feeds: Feeds = { [inputName]: input };
  for (const { name } of model.graph.feedInputs) {
    if (name === inputName) continue;
    const t = extra[name];
    if (!t) throw new GlassboxError('bad-input', `the model also needs input "${name}"; pass it in additionalForwardArgs (one row, or one per input row)`);
    if (t.shape[0] === rows) feeds[name] = t;
    else if (t.shape[0] === 1) feeds[name] = expandRows(t, rows, 'tile');
    else throw new GlassboxError('bad-input', `input "${name}" has ${t.shape[0]} rows; give one row or one per input row (${rows})`);
  }
  return feeds;
}

/**
 * Forward values of tensors `names` for a batch (layer activations, the output), from the model
 * that takes `input` (see modelFor), `batchSize` rows per run (all at once by default). Values
 * that are themselves fed are returned as given.
 */
export async function forwardValues(
  explainable: Explainable,
  input: Tensor,
  names: readonly string[],
  extra: Feeds = {},
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Record<string, Tensor>> {
  const { model, inputName } = modelFor(explainable, input, extra);
  const feeds = feedsFor(model, inputName, input, extra);
  const out: Record<string, Tensor> = {};
  const computed = names.filter((n) => !feeds[n]);
  for (const n of names) if (feeds[n]) out[n] = feeds[n];
  if (computed.length === 0) return out;
  const rows = input.shape[0]!;
  const size = Math.max(1, options.batchSize ?? rows);
  const parts: Record<string, Tensor>[] = [];
  const session = await Session.create(exposeOutputs(cloneModel(model), computed));
  try {
    for (let start = 0; start < rows; start += size) {
      const end = Math.min(rows, start + size);
      const chunk = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t.sliceBatch(start, end)]));
      parts.push(await session.run(chunk, { outputs: computed, allowNaN: true }));
      options.onProgress?.(end, rows);
    }
  } finally {
    await session.release();
  }
  for (const n of computed) out[n] = concatBatch(parts.map((p) => p[n]!));
  return out;
}

/**
 * One baseline row per input row in the input's own type: float inputs follow expandBaseline;
 * token ids take a token id ('zeros' is id 0, as torch.zeros_like gives in Captum) or a tensor of
 * ids shaped like the input or one row of it.
 */
export function baselineFor(input: Tensor, baselines: Baselines | undefined): Tensor {
  if (isFloat(input.dtype)) return expandBaseline(input, baselines);
  const row = input.shape.slice(1);
  if (baselines === undefined || baselines === 'zeros' || typeof baselines === 'number') {
    const id = baselines === undefined || baselines === 'zeros' ? 0 : baselines;
    if (!Number.isInteger(id)) throw new GlassboxError('bad-baseline', `a baseline for token ids must be a token id (an integer), got ${id}`);
    return retype(input, new Array<number>(input.size).fill(id));
  }
  const list = (Array.isArray(baselines) ? baselines : [baselines]) as readonly Tensor[];
  if (list.length !== 1) throw new GlassboxError('bad-baseline', `this method takes one baseline, got a set of ${list.length} (sets are for the SHAP family)`);
  const b = list[0]!;
  const matchesAll = sameShape(b.shape, input.shape);
  if (!matchesAll && !sameShape(b.shape, [1, ...row]) && !sameShape(b.shape, row)) {
    throw new GlassboxError('bad-baseline', `the baseline has shape ${formatShape(b.shape)} but the input has shape ${formatShape(input.shape)} (give one row or one per input row)`);
  }
  const values = b.toNumbers();
  return retype(input, matchesAll ? values : Array.from({ length: input.size }, (_, i) => values[i % values.length]!));
}

function retype(like: Tensor, values: number[]): Tensor {
  if (like.dtype === 'int64') return Tensor.int64(like.shape, values);
  if (like.dtype === 'int32') return new Tensor('int32', like.shape, Int32Array.from(values));
  throw new GlassboxError('bad-input', `cannot attribute from a ${like.dtype} input; give a float tensor or int64 token ids`);
}
