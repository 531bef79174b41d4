/**
 * From `glassbox attribute` flags to a method's options: the target (the predicted class unless
 * one is named), baselines (a text's PAD tokens by default), feature masks and windows that fit
 * text, and Captum's names for everything else.
 */
import { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { METHODS, type MethodParams } from '../attribution/methods.js';
import type { BaselineToken } from '../attribution/text/text-model.js';
import type { Baselines, Target } from '../attribution/types.js';
import type { NoiseTunnelType } from '../attribution/gradient/index.js';
import type { IntegrationMethod } from '../attribution/util/quadrature.js';
import type { InterpolateMode } from '../attribution/layer/index.js';
import { GlassboxError } from '../util/errors.js';
import { readTensorArg } from '../runtime/feed-files.js';
import type { Subject } from './subject.js';

/** How the methods run: Captum's options, as the CLI's flags name them. */
export interface ExplainOptions {
  /** An index, a class name, or one per input row separated by commas; default: the predicted class. */
  target?: string;
  /** 'zeros', a number, a tensor file; for text 'pad' (default), 'mask' or 'token:<id>'. */
  baseline?: string;
  /** n_steps of the integrating methods. */
  steps?: number;
  igMethod?: IntegrationMethod;
  /** Saliency's abs (default true, as Captum). */
  abs?: boolean;
  /** Occlusion's sliding window and strides. */
  window?: number[];
  strides?: number[];
  /** A tensor file of feature ids (text: one feature per token by default). */
  featureMask?: string;
  /** n_samples of the sampling methods. */
  samples?: number;
  /** Wrap a gradient method in NoiseTunnel. */
  ntType?: NoiseTunnelType;
  ntSamples?: number;
  stdevs?: number;
  seed?: number;
  /** Neuron methods: the neuron's index within a row of the layer. */
  neuron?: number[];
  upsample?: InterpolateMode;
  reluAttributions?: boolean;
  /** Report the convergence delta where the method defines it (default true). */
  delta?: boolean;
  internalBatchSize?: number;
}

export interface Prediction {
  /** Per row: the class with the highest score. */
  classes: number[];
  /** Per row: its probability (softmax of the scores, unless they already are probabilities). */
  probabilities: number[];
}

export interface ResolvedTarget {
  target: Target;
  /** For outputs [rows, classes]. */
  prediction?: Prediction;
}

/**
 * The target the user named (an index, a class name, or one per row separated by commas), or
 * the predicted class when none is named. Outputs with one value per row need none.
 */
export async function resolveTarget(subject: Subject, flag: string | undefined, needsTarget: boolean): Promise<ResolvedTarget> {
  const output = await subject.explainable.forward(subject.input, subject.extra);
  const rows = output.shape[0]!;
  const perRow = sizeOf(output.shape.slice(1));
  const prediction = output.rank === 2 && perRow > 1 ? predict(output) : undefined;
  const pred = prediction ? { prediction } : {};
  if (!needsTarget) return { target: undefined, ...pred };
  if (flag === undefined) {
    if (perRow === 1) return { target: undefined, ...pred };
    if (!prediction) throw new GlassboxError('bad-target', `"${subject.explainable.output}" has shape [${output.shape.join(', ')}]; say which of its values to explain with --target <k> (an index into its last axis)`);
    return { target: rows === 1 ? prediction.classes[0]! : prediction.classes, ...pred };
  }
  const parts = flag.split(',').map((p) => p.trim());
  const ids = parts.map((p) => classIndex(p, subject.classes));
  if (ids.length !== 1 && ids.length !== rows) throw new GlassboxError('bad-target', `--target gives ${ids.length} classes for ${rows} input rows; give one, or one per row`);
  return { target: ids.length === 1 ? ids[0]! : ids, ...pred };
}

function classIndex(part: string, classes: readonly string[] | undefined): number {
  if (/^-?\d+$/.test(part)) return Number(part);
  const index = classes?.indexOf(part) ?? -1;
  if (index < 0) throw new GlassboxError('bad-target', classes ? `--target "${part}" is not a class of the model (classes: ${classes.join(', ')})` : `--target must be a class index (the model comes without class names), got "${part}"`);
  return index;
}

function predict(output: Tensor): Prediction {
  const [rows, classes] = output.shape as [number, number];
  const values = output.toNumbers();
  const result: Prediction = { classes: [], probabilities: [] };
  for (let r = 0; r < rows; r++) {
    const row = values.slice(r * classes, (r + 1) * classes);
    const best = row.indexOf(Math.max(...row));
    const sum = row.reduce((a, b) => a + b, 0);
    const isProbability = row.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-3;
    const top = Math.max(...row);
    const p = isProbability ? row[best]! : 1 / row.reduce((a, v) => a + Math.exp(v - top), 0);
    result.classes.push(best);
    result.probabilities.push(p);
  }
  return result;
}

/** The method's options in Captum's terms, from flags and what kind of input it is. */
export async function methodParams(method: string, flags: ExplainOptions, subject: Subject, target: Target): Promise<MethodParams> {
  const spec = METHODS[method];
  const reads = new Set<keyof MethodParams>(spec?.reads ?? []);
  const params: MethodParams = { target, abs: flags.abs ?? true };
  const set = <K extends keyof MethodParams>(key: K, value: MethodParams[K] | undefined): void => {
    if (value !== undefined) params[key] = value;
  };
  set('nSteps', flags.steps);
  set('method', flags.igMethod);
  set('strides', flags.strides?.length === 1 ? flags.strides[0] : flags.strides);
  set('nSamples', flags.samples);
  set('ntType', flags.ntType);
  set('ntSamples', flags.ntSamples);
  set('stdevs', flags.stdevs);
  set('seed', flags.seed);
  set('neuronSelector', flags.neuron && (flags.neuron.length === 1 ? flags.neuron[0] : flags.neuron));
  set('upsample', flags.upsample);
  set('reluAttributions', flags.reluAttributions);
  set('internalBatchSize', flags.internalBatchSize);
  if (Object.keys(subject.extra).length) params.additionalForwardArgs = subject.extra;
  if (reads.has('returnConvergenceDelta')) params.returnConvergenceDelta = flags.delta ?? true;
  if (reads.has('baselines')) set('baselines', await baselines(method, flags, subject));
  if (reads.has('featureMask')) set('featureMask', featureMaskFor(flags, subject));
  if (reads.has('slidingWindowShapes')) params.slidingWindowShapes = windowFor(flags, subject);
  return params;
}

async function baselines(method: string, flags: ExplainOptions, subject: Subject): Promise<Baselines | undefined> {
  const spec = flags.baseline;
  const shap = method === 'gradient-shap' || method === 'deep-lift-shap';
  const text = subject.text;
  const token = text ? baselineToken(spec) : undefined;
  if (text && (spec === undefined || token !== undefined)) {
    // A text's reference: the same sentence with its words replaced by PAD (or [MASK], or an id).
    const embeddings = await text.model.baselineEmbeddings(text.encoded, token !== undefined ? { token } : {});
    return shap ? [embeddings] : embeddings;
  }
  if (spec === undefined || spec === 'zeros') return spec;
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(spec)) return Number(spec);
  const tensor = readTensorArg(spec).tensor;
  return shap ? [tensor] : tensor;
}

function baselineToken(spec: string | undefined): BaselineToken | undefined {
  if (spec === 'pad' || spec === 'mask') return spec;
  const m = /^token:(\d+)$/.exec(spec ?? '');
  return m ? Number(m[1]) : undefined;
}

function featureMaskFor(flags: ExplainOptions, subject: Subject): Tensor | undefined {
  if (flags.featureMask) return readTensorArg(flags.featureMask).tensor;
  if (!subject.text) return undefined;
  // A text's features are its tokens: all embedding dims of a position go together.
  const seq = subject.input.shape[1]!;
  return Tensor.int64([1, seq, 1], Array.from({ length: seq }, (_, i) => i));
}

function windowFor(flags: ExplainOptions, subject: Subject): number[] {
  if (flags.window) return flags.window;
  const shape = subject.input.shape;
  if (subject.text) return [1, shape[2]!]; // one token at a time
  throw new GlassboxError('bad-option', `occlusion needs --window: the sliding window's extent in each input dim after the batch dim (rows are [${shape.slice(1).join(', ')}]; e.g. --window ${shape.length === 4 ? `${shape[1]},4,4` : shape.slice(1).map(() => 1).join(',')})`);
}

/** The target's name for pictures: the class name when known. */
export function targetLabel(target: Target, classes: readonly string[] | undefined): string | undefined {
  if (target === undefined) return undefined;
  const name = (k: number) => (classes?.[k] !== undefined ? `${classes[k]} (${k})` : String(k));
  return typeof target === 'number' ? name(target) : target.map(name).join(', ');
}
