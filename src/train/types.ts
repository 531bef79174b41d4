/**
 * The contracts between recipes (models built here), datasets, the trainer and the run store.
 * Each side is written against these types only.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Model } from '../onnx/ir/model.js';
import type { Dim } from '../onnx/ir/value.js';

// ---------------------------------------------------------------------------------------------
// Datasets

/** What a model reads: images (float [N, C, H, W]), feature vectors (float [N, D]) or token ids (int64 [N, S]). */
export type InputKind = 'image' | 'vector' | 'tokens';

/** A labelled example split held in memory (the datasets glassbox ships are small). */
export interface DataSplit {
  /** Number of examples. */
  size: number;
  /** Input tensor of example rows [start, end), ready to feed (tokens padded with id 0). */
  inputs(indices: readonly number[]): Tensor;
  /** Class labels, 0 … classes − 1. */
  labels: Int32Array;
  /** For text: the original sentence of each example (for reports and attribution). */
  texts?: readonly string[];
  /**
   * Per-position labels, int64 [indices, seq] with IGNORE_INDEX (−100) where nothing is
   * predicted (padding), for datasets whose every position is a classification (the 'reverse'
   * task). A dataset that has them trains with the 'sequence' objective.
   */
  positionLabels?(indices: readonly number[]): Tensor;
}

export interface Dataset {
  name: string;
  kind: InputKind;
  /** Per-example input shape without the batch dim (tokens: [maxLength]). */
  shape: readonly number[];
  classes: readonly string[];
  train: DataSplit;
  test: DataSplit;
  /** Text datasets: the vocabulary (index = token id; 0 = PAD, 1 = UNK, 2 = MASK). */
  vocabulary?: readonly string[];
  /** Where the data came from (package and version), for reports. */
  source: string;
}

// ---------------------------------------------------------------------------------------------
// Recipes: models emitted as clean ONNX by a TypeScript graph builder

export interface RecipeContext {
  /** The dataset the model is for: input kind and shape, number of classes, vocabulary size. */
  kind: InputKind;
  inputShape: readonly number[];
  classes: number;
  vocabularySize?: number;
  /** Seed for the initial weights (PyTorch-style default initialisation). */
  seed: number;
}

/** A recipe's graph in one of its two forms; weight names are the same in both. */
export interface RecipeGraph {
  /**
   * The model. Inputs: 'input' (float) or 'input_ids' (int64, 0 = PAD); output 'logits'
   * [batch, classes] (or [batch, seq, vocab] for the masked-LM head). Weights are initializers.
   */
  model: Model;
  /** Trainable weights, in a stable order. */
  parameters: readonly string[];
  /**
   * Train form only. State that training updates outside the gradient (BatchNorm running
   * statistics): buffer `name` becomes (1 − momentum)·name + momentum·(graph output `from`).
   */
  buffers: readonly { name: string; from: string; momentum: number }[];
  /**
   * Train form only. Dropout masks fed at each step: input `name` of `shape` (symbols 'batch'
   * and 'seq' are the step's sizes), filled with 1/keep where kept and 0 elsewhere.
   */
  masks: readonly { name: string; shape: readonly Dim[]; keep: number }[];
}

export interface Recipe<Config extends object = Record<string, unknown>> {
  name: string;
  description: string;
  /** Input kinds the recipe can read. */
  kinds: readonly InputKind[];
  defaults: Config;
  /** The eval form (inference: BatchNorm with running statistics, no dropout) or the train form. */
  build(context: RecipeContext, config: Config, form: 'eval' | 'train'): RecipeGraph;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints and the run store

export interface Metrics {
  step: number;
  epoch: number;
  lr: number;
  trainLoss?: number;
  trainAccuracy?: number;
  testLoss?: number;
  testAccuracy?: number;
  /** Seconds since the run started (wall clock). */
  elapsed?: number;
}

/** Everything needed to continue a run exactly where a checkpoint left it. */
export interface TrainerState {
  /** Weights and buffers by name. */
  weights: ReadonlyMap<string, Tensor>;
  /** Optimizer slots (momentum, Adam moments) by `<slot>/<weight>`. */
  optimizer: ReadonlyMap<string, Tensor>;
  /** Opaque JSON: RNG states, data order position, optimizer step count. */
  resume: Record<string, unknown>;
}

/** Where the trainer writes a run (the SQLite store implements it; tests use memory). */
export interface CheckpointSink {
  /** Registers a run and its eval-form graph (the ONNX every checkpoint's weights belong to). */
  startRun(info: { config: Record<string, unknown>; graph: Uint8Array; seed: number }): Promise<string> | string;
  writeCheckpoint(runId: string, metrics: Metrics, state: TrainerState): Promise<void> | void;
  writeMetrics(runId: string, metrics: Metrics): Promise<void> | void;
  finishRun(runId: string, status: 'completed' | 'failed', message?: string): Promise<void> | void;
}
