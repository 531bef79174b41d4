/**
 * The per-unit information measure of Guan et al. (ICML 2019, "Towards a Deep and Unified
 * Understanding of Deep Neural Models in NLP"), following the reference Interpreter.py:
 *
 *   σ_i = scale · sigmoid(r_i)                      one σ per unit (a word: shared over its D dims)
 *   x̃   = x + σ ⊙ ε,  ε ~ N(0, I)
 *   L(r) = mean((Φ(x̃) − Φ(x))² / s²) − λ · mean_i log sigmoid(r_i)
 *
 * minimised by Adam over r; a unit with a large σ is one whose information the layer Φ has
 * forgotten. The entropy of the perturbed unit is H_i = (D_i/2)·log(2πe) + D_i·log σ_i.
 *
 * Defaults (why: options.ts, optimize.ts, plateau.ts): 4 noise draws per step in one batched
 * run, early stopping with a fast travel phase and a settle phase, Adam β₂ 0.99, the settled
 * mean r kept. `{ noiseSamples: 1, earlyStop: false, beta2: 0.999 }` is the reference's
 * schedule: 5000 steps of one draw at lr 0.01.
 */
import type { Feeds } from '../../runtime/feeds.js';
import type { RuntimeOptions } from '../../runtime/options.js';
import type { ProbeOptions } from '../../runtime/probe.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { UnitMap } from './units.js';

/** One input to measure: the tensor noise is added to, and what else the cut model reads. */
export interface InformationInput {
  /** [1, ...]: for text, the word embeddings [1, seq, D] (the model's embedding output). */
  embeddings: Tensor;
  /** Other inputs of the cut model (token ids a padding mask is computed from), one row each. */
  extra?: Feeds;
}

/** What a measure is built for: one ONNX optimisation graph per (model, input, layers). */
export interface InformationSetup {
  /**
   * The tensor noise is added to: a float graph input, or an intermediate tensor (an embedding
   * output) at which the model is cut so that it becomes the input.
   */
  input: string;
  /** The layers Φ to measure (any intermediate tensors after `input`); all in one call. */
  layers: readonly string[];
  /**
   * Optimise all layers in one batched run per step (rows [layers · noiseSamples, ...]) or one
   * graph per layer. Default true: see bench/information.ts for the measurement behind it.
   */
  batchLayers?: boolean;
  runtime?: RuntimeOptions;
  /** Sizes for the model's symbolic dims when its shapes must be probed (see prepareModel). */
  probe?: ProbeOptions;
}

/** Early stopping on a plateau (see plateau.ts for the rule). */
export interface EarlyStopOptions {
  /** Steps per window whose mean loss and mean σ are compared (default 50). */
  window?: number;
  /** The windowed mean loss must fall by more than this fraction to count as progress (default 0.002). */
  lossTolerance?: number;
  /** ... or some unit above half the scale raise its windowed mean log σ by more than this (default 0.01). */
  sigmaTolerance?: number;
  /** Windows in a row without progress before stopping (default 2). */
  patience?: number;
  /** Never stop before this many steps (default 100). */
  minSteps?: number;
}

/** Progress of an optimisation, reported once per early-stopping window. */
export interface InformationProgress {
  step: number;
  steps: number;
  /** The layers optimised together in this run (all of them when layers are batched). */
  layers: readonly string[];
  /** Last window's mean loss per layer of `layers`. */
  losses: number[];
  /** Layers still being optimised. */
  active: number;
}

export interface InformationOptions {
  /** Adam steps at most (default 5000, the reference's count). */
  steps?: number;
  /** λ, the weight of the entropy term (default 0.1). */
  lambda?: number;
  /**
   * Adam learning rate for one noise draw per step (default 0.01, the reference's). With K
   * draws the rate used is lr·√K (Adam's square-root scaling rule, options.ts) unless
   * lrScaling is false.
   */
  lr?: number;
  lrScaling?: boolean;
  /** Adam's β₂ (default 0.99, see options.ts; the reference's torch default is 0.999). */
  beta2?: number;
  /**
   * With early stopping, each layer first runs at `travel` × the rate until its first plateau,
   * then at the rate until a second (default 4; 1 stops at the first). Without early stopping
   * the rate stays as given, as in the reference.
   */
  travel?: number;
  /**
   * The largest σ. Default 10 × the std of `embeddingTable` when given (the reference's
   * recommendation: 10 × std of the model's embedding matrix), else 10 × the std of the input
   * embeddings x themselves.
   */
  scale?: number;
  /** The model's embedding matrix, for the default scale. */
  embeddingTable?: Tensor;
  /** Noise draws per step, batched in one run (default 4; the reference draws 1). */
  noiseSamples?: number;
  /** Seeds the initial r ~ N(0, 1) and the noise (default 0). */
  seed?: number;
  /**
   * s per layer: a tensor broadcastable to the layer's value for one input row. Layers without
   * one take s from `samples`, else from the fallback rule (normalizer.ts).
   */
  s?: Readonly<Record<string, Tensor>>;
  /** Sampled inputs (from the dataset) to compute s as the per-dimension std of Φ over them. */
  samples?: readonly InformationInput[];
  /** The units σ is shared over (default: one per position for [1, seq, D], per pixel for [1, C, H, W]). */
  units?: UnitMap;
  /** Early stopping on a plateau; false runs all `steps` (default on). */
  earlyStop?: boolean | EarlyStopOptions;
  /** Initial r (one row of units per layer, default N(0, 1) draws): to continue or compare runs. */
  initial?: Readonly<Record<string, readonly number[]>>;
  onProgress?: (progress: InformationProgress) => void;
}

/** How s (the feature-scale normaliser) of a layer was obtained. */
export type NormalizerSource = 'given' | 'samples' | 'positions' | 'rms';

export interface LayerInformation {
  layer: string;
  /** σ_i per unit (for text: per token), from the kept r. */
  sigma: number[];
  /** H_i = (D_i/2)·log(2πe) + D_i·log σ_i per unit, D_i the input elements of unit i. */
  entropy: number[];
  /**
   * The kept r per unit: with early stopping, the mean r over the settle phase; otherwise the
   * mean r of the window with the lowest mean loss (optimize.ts says why).
   */
  r: number[];
  loss: {
    /** Loss of the first step. */
    first: number;
    /** The lowest window-mean loss. */
    best: number;
    /** Mean loss of each early-stopping window, in order (the loss curve, summarised). */
    windows: number[];
  };
  /** Adam steps run. */
  steps: number;
  stopped: 'plateau' | 'steps';
  normalizer: NormalizerSource;
}

export interface InformationResult {
  layers: LayerInformation[];
  scale: number;
  lambda: number;
  /** The Adam rate used (after √K scaling). */
  lr: number;
  noiseSamples: number;
  /** Number of units (σ entries) and input elements per unit. */
  units: number;
  unitSizes: number[];
  /** Wall-clock seconds of the optimisation (building the graphs, done on a measure's first call, excluded). */
  seconds: number;
}
