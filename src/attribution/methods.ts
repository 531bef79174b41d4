import { GlassboxError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Feeds } from '../runtime/feeds.js';
import type { Explainable } from './explainable.js';
import {
  Deconvolution, DeepLift, DeepLiftShap, GradientShap, GuidedBackprop, InputXGradient, IntegratedGradients, NoiseTunnel, Saliency,
  type NoiseTunnelType,
} from './gradient/index.js';
import { GuidedGradCam, LayerActivation, LayerConductance, LayerGradCam, LayerIntegratedGradients, type InterpolateMode } from './layer/index.js';
import { NeuronGradient, NeuronIntegratedGradients } from './neuron/index.js';
import { FeatureAblation, KernelShap, Lime, Occlusion, ShapleyValueSampling } from './perturbation/index.js';
import type { AttributionMethod, Baselines, Target } from './types.js';
import type { IntegrationMethod } from './util/quadrature.js';

/** Every option any method takes, named after Captum's parameters (the CLI's flags map onto these). */
export interface MethodParams {
  target?: Target;
  baselines?: Baselines;
  nSteps?: number;
  method?: IntegrationMethod;
  abs?: boolean;
  slidingWindowShapes?: number[];
  strides?: number | number[];
  featureMask?: Tensor;
  nSamples?: number;
  stdevs?: number;
  seed?: number;
  neuronSelector?: number | number[];
  upsample?: InterpolateMode;
  reluAttributions?: boolean;
  returnConvergenceDelta?: boolean;
  internalBatchSize?: number;
  additionalForwardArgs?: Feeds;
  onProgress?: (done: number, total: number) => void;
  /** Wrap the method in NoiseTunnel with this combination. */
  ntType?: NoiseTunnelType;
  ntSamples?: number;
}

/** Captum's grouping of its methods. */
export type MethodFamily = 'gradient' | 'perturbation' | 'layer' | 'neuron';

interface MethodSpec {
  title: string;
  family: MethodFamily;
  /** The layer the method reads (Grad-CAM, layer IG, neuron methods). */
  layer?: 'required';
  /** The options it reads, in Captum's names. */
  reads: readonly (keyof MethodParams)[];
  create(explainable: Explainable, layer: string): AttributionMethod<object>;
}

const COMMON: (keyof MethodParams)[] = ['target', 'internalBatchSize', 'additionalForwardArgs', 'onProgress'];

/** Captum's methods by their names in kebab case. */
export const METHODS: Readonly<Record<string, MethodSpec>> = {
  'saliency': { title: 'Saliency', family: 'gradient', reads: [...COMMON, 'abs'], create: (e) => new Saliency(e) },
  'input-x-gradient': { title: 'Input × Gradient', family: 'gradient', reads: COMMON, create: (e) => new InputXGradient(e) },
  'integrated-gradients': { title: 'Integrated Gradients', family: 'gradient', reads: [...COMMON, 'baselines', 'nSteps', 'method', 'returnConvergenceDelta'], create: (e) => new IntegratedGradients(e) },
  'gradient-shap': { title: 'GradientSHAP', family: 'gradient', reads: [...COMMON, 'baselines', 'nSamples', 'stdevs', 'seed', 'returnConvergenceDelta'], create: (e) => new GradientShap(e) },
  'deep-lift': { title: 'DeepLIFT', family: 'gradient', reads: [...COMMON, 'baselines', 'returnConvergenceDelta'], create: (e) => new DeepLift(e) },
  'deep-lift-shap': { title: 'DeepLIFT SHAP', family: 'gradient', reads: [...COMMON, 'baselines', 'returnConvergenceDelta'], create: (e) => new DeepLiftShap(e) },
  'guided-backprop': { title: 'Guided Backprop', family: 'gradient', reads: COMMON, create: (e) => new GuidedBackprop(e) },
  'deconvolution': { title: 'Deconvolution', family: 'gradient', reads: COMMON, create: (e) => new Deconvolution(e) },
  'guided-grad-cam': { title: 'Guided Grad-CAM', family: 'layer', layer: 'required', reads: [...COMMON, 'upsample'], create: (e, l) => new GuidedGradCam(e, l) },
  'occlusion': { title: 'Occlusion', family: 'perturbation', reads: [...COMMON, 'baselines', 'slidingWindowShapes', 'strides'], create: (e) => new Occlusion(e) },
  'feature-ablation': { title: 'Feature Ablation', family: 'perturbation', reads: [...COMMON, 'baselines', 'featureMask'], create: (e) => new FeatureAblation(e) },
  'shapley-value-sampling': { title: 'Shapley Value Sampling', family: 'perturbation', reads: [...COMMON, 'baselines', 'featureMask', 'nSamples', 'seed'], create: (e) => new ShapleyValueSampling(e) },
  'kernel-shap': { title: 'KernelSHAP', family: 'perturbation', reads: [...COMMON, 'baselines', 'featureMask', 'nSamples', 'seed'], create: (e) => new KernelShap(e) },
  'lime': { title: 'LIME', family: 'perturbation', reads: [...COMMON, 'baselines', 'featureMask', 'nSamples', 'seed'], create: (e) => new Lime(e) },
  'layer-grad-cam': { title: 'Grad-CAM', family: 'layer', layer: 'required', reads: [...COMMON, 'upsample', 'reluAttributions'], create: (e, l) => new LayerGradCam(e, l) },
  'layer-integrated-gradients': { title: 'Layer Integrated Gradients', family: 'layer', layer: 'required', reads: [...COMMON, 'baselines', 'nSteps', 'method', 'returnConvergenceDelta'], create: (e, l) => new LayerIntegratedGradients(e, l) },
  'layer-conductance': { title: 'Layer Conductance', family: 'layer', layer: 'required', reads: [...COMMON, 'baselines', 'nSteps', 'method', 'returnConvergenceDelta'], create: (e, l) => new LayerConductance(e, l) },
  'layer-activation': { title: 'Layer Activation', family: 'layer', layer: 'required', reads: ['internalBatchSize', 'additionalForwardArgs'], create: (e, l) => new LayerActivation(e, l) },
  'neuron-gradient': { title: 'Neuron Gradient', family: 'neuron', layer: 'required', reads: [...COMMON.filter((k) => k !== 'target'), 'neuronSelector'], create: (e, l) => new NeuronGradient(e, l) },
  'neuron-integrated-gradients': { title: 'Neuron Integrated Gradients', family: 'neuron', layer: 'required', reads: [...COMMON.filter((k) => k !== 'target'), 'neuronSelector', 'baselines', 'nSteps', 'method'], create: (e, l) => new NeuronIntegratedGradients(e, l) },
};

export const METHOD_NAMES = Object.keys(METHODS);

export interface ConfiguredMethod {
  name: string;
  title: string;
  family: MethodFamily;
  method: AttributionMethod<object>;
  /** The options the method will be called with. */
  options: Record<string, unknown>;
  /** Whether the attributions are shaped like the input (false for layer maps and activations). */
  inputShaped: boolean;
}

/**
 * A method by its Captum name with the options it reads taken from `params` (others ignored),
 * wrapped in NoiseTunnel when `params.ntType` is set.
 */
export function configureMethod(name: string, explainable: Explainable, params: MethodParams, layer?: string): ConfiguredMethod {
  const spec = METHODS[name];
  if (!spec) throw new GlassboxError('bad-method', `unknown method "${name}"${didYouMean(name, METHOD_NAMES)} (methods: ${METHOD_NAMES.join(', ')})`);
  if (spec.layer === 'required' && !layer) throw new GlassboxError('bad-method', `${name} needs a layer: name an intermediate tensor (glassbox inspect lists them)`);
  if (spec.reads.includes('neuronSelector') && params.neuronSelector === undefined) throw new GlassboxError('bad-method', `${name} needs a neuron: its index within a row of the layer`);
  const options: Record<string, unknown> = {};
  for (const key of spec.reads) if (params[key] !== undefined) options[key] = params[key];
  let method = spec.create(explainable, layer ?? '');
  let title = spec.title;
  if (params.ntType) {
    if (spec.family !== 'gradient') throw new GlassboxError('bad-method', `NoiseTunnel wraps gradient methods; ${name} is a ${spec.family} method`);
    method = new NoiseTunnel(method);
    options.ntType = params.ntType;
    if (params.ntSamples !== undefined) options.nSamples = params.ntSamples;
    if (params.stdevs !== undefined) options.stdevs = params.stdevs;
    if (params.seed !== undefined) options.seed = params.seed;
    title = `${title} (NoiseTunnel ${params.ntType})`;
  }
  const inputShaped = spec.family === 'gradient' || spec.family === 'perturbation' || spec.family === 'neuron' || name === 'guided-grad-cam' || (name === 'layer-grad-cam' && params.upsample !== undefined);
  return { name, title, family: spec.family, method, options, inputShaped };
}
