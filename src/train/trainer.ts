import { GlassboxError } from '../util/errors.js';
import { Random } from '../util/random.js';
import { Tensor } from '../tensor/tensor.js';
import { encodeModel } from '../onnx/io.js';
import { readWeights } from '../onnx/edit/weights.js';
import type { RuntimeOptions } from '../runtime/options.js';
import type { Session } from '../runtime/session.js';
import { DropoutMasks } from './dropout-masks.js';
import { createEvalSession, createTrainingSession } from './graph.js';
import { classification, crossEntropyTotal, evaluationRandom, maskedLanguageModel, sequenceLabelling, type Objective } from './objectives.js';
import { clipGradients, createOptimizer, learningRate, type ClipConfig, type OptimizerConfig, type ScheduleConfig } from './optim/index.js';
import type { CheckpointSink, Dataset, DataSplit, Metrics, Recipe, TrainerState } from './types.js';

export interface TrainOptions {
  recipe: Recipe<object>;
  recipeConfig?: Record<string, unknown>;
  dataset: Dataset;
  seed: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  schedule?: ScheduleConfig;
  /** Linear warmup over this many steps. */
  warmup?: number;
  clip?: ClipConfig;
  /** Fraction of training labels replaced by uniformly random ones, fixed for the run (Zhang et al. 2017: 1.0). */
  randomLabels?: number;
  /** Checkpoint at these steps (step 0 is the initialisation). */
  checkpointAt?: (step: number, totalSteps: number) => boolean;
  /** Evaluate and checkpoint at the end of every epoch too (default true). */
  checkpointEpochs?: boolean;
  /**
   * 'classification': one label per example. 'masked-lm': BERT-style pretraining of the 'mlm'
   * recipe on the dataset's texts (labels are ignored). 'sequence': the dataset's per-position
   * labels (DataSplit.positionLabels, e.g. 'reverse') with a per-position recipe ('mlm').
   * Default: 'sequence' for a dataset with per-position labels, else 'classification'.
   */
  objective?: 'classification' | 'masked-lm' | 'sequence';
  /** Start from these weights where names and shapes match (fine-tuning a pretrained encoder). */
  initFrom?: ReadonlyMap<string, Tensor>;
  /** More settings to record in the run's config (the CLI records its checkpoint schedule). */
  extraConfig?: Record<string, unknown>;
  /** Use only the first N training / test examples (quick runs). */
  trainLimit?: number;
  testLimit?: number;
  /** onnxruntime settings; a `profile` prefix gets '-train' and '-eval' for the two sessions. */
  runtime?: RuntimeOptions;
  /** Continue a run: from one of its checkpoints, or from scratch under its id when it has none. */
  resume?: { runId: string; state?: TrainerState };
  onStep?: (progress: StepProgress) => void;
  onEpoch?: (metrics: Metrics) => void;
}

export interface StepProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  lr: number;
}

export interface TrainResult {
  runId: string;
  final: Metrics;
  /** Final weights and buffers. */
  weights: Map<string, Tensor>;
}

interface ResumeInfo {
  step: number;
  epoch: number;
  /** Batches of the current epoch already done. */
  batch: number;
  masks: ReturnType<Random['getState']>;
  tokenMasks: ReturnType<Random['getState']>;
  epochLoss: number;
  epochCorrect: number;
  /** Predictions made this epoch (examples; masked tokens for masked-LM). */
  epochSeen: number;
}

/**
 * Trains a recipe on a dataset: one onnxruntime run per step computes loss, logits and every
 * parameter's gradient; the optimizer, BatchNorm running statistics and dropout masks live in
 * TypeScript. Everything random derives from the seed (initial weights, label corruption, data
 * order per epoch, dropout masks), and checkpoints carry the state to continue exactly.
 */
export async function train(options: TrainOptions, sink: CheckpointSink): Promise<TrainResult> {
  const { recipe, dataset, seed } = options;
  if (!recipe.kinds.includes(dataset.kind)) {
    throw new GlassboxError('bad-option', `recipe "${recipe.name}" reads ${recipe.kinds.join(' or ')} inputs, but dataset "${dataset.name}" holds ${dataset.kind}`);
  }
  const context = { kind: dataset.kind, inputShape: dataset.shape, classes: dataset.classes.length, seed, ...(dataset.vocabulary ? { vocabularySize: dataset.vocabulary.length } : {}) };
  const config = { ...recipe.defaults, ...options.recipeConfig };
  const evalGraph = recipe.build(context, config, 'eval');
  const trainGraph = recipe.build(context, config, 'train');
  const weights = new Map([...readWeights(evalGraph.model, [...trainGraph.parameters, ...trainGraph.buffers.map((b) => b.name)])].map(([k, t]) => [k, Float32Array.from(t.data as Float32Array)]));
  let initialised = 0;
  for (const [name, t] of options.initFrom ?? []) {
    const target = weights.get(name);
    if (target && target.length === t.size && t.dtype === 'float32') {
      target.set(t.data as Float32Array);
      initialised++;
    }
  }
  if (options.initFrom && initialised === 0) throw new GlassboxError('bad-option', 'none of the given initial weights matches a weight of this recipe (names and shapes)');
  const objectiveName = options.objective ?? (dataset.train.positionLabels ? 'sequence' : 'classification');
  const objective = chooseObjective(objectiveName, dataset, evalGraph);
  const optimizer = createOptimizer(options.optimizer);
  const runtime = options.runtime ?? { deterministic: true };
  // With profiling on, each session writes its own trace: <prefix>-train_<date>.json and -eval_.
  const profiled = (session: string) => (runtime.profile === undefined ? runtime : { ...runtime, profile: `${runtime.profile}-${session}` });
  const training = await createTrainingSession(trainGraph, objective.loss, profiled('train'));
  const evaluation = await createEvalSession(evalGraph, [...weights.keys()], profiled('eval'));

  const trainSplit = limit(dataset.train, options.trainLimit);
  const testSplit = limit(dataset.test, options.testLimit);
  const labels = corruptLabels(trainSplit.labels, dataset.classes.length, options.randomLabels ?? 0, seed);
  // A last batch of one example would give BatchNorm no variance (PyTorch refuses it): it joins
  // the batch before.
  const stepsPerEpoch = Math.max(1, trainSplit.size % options.batchSize === 1 ? Math.floor(trainSplit.size / options.batchSize) : Math.ceil(trainSplit.size / options.batchSize));
  const totalSteps = stepsPerEpoch * options.epochs;
  /** Examples in batch b of an epoch: full batches, and what is left in the last one. */
  const batchLength = (b: number): number => (b + 1 === stepsPerEpoch ? trainSplit.size - b * options.batchSize : options.batchSize);
  const masks = new Random(seed * 7919 + 17);
  const dropout = new DropoutMasks(trainGraph.masks, masks);
  const tokenMasks = new Random(seed * 6151 + 29);
  const runConfig = {
    recipe: recipe.name, recipeConfig: config, dataset: dataset.name, seed, epochs: options.epochs, batchSize: options.batchSize,
    optimizer: options.optimizer, schedule: options.schedule ?? { type: 'constant' }, warmup: options.warmup ?? 0, clip: options.clip ?? null,
    randomLabels: options.randomLabels ?? 0, trainSize: trainSplit.size, testSize: testSplit.size,
    // Runs recorded before 'sequence' existed say 'classification' or 'masked-lm', the loss's name.
    objective: objectiveName === 'sequence' ? 'sequence' : objective.loss,
    initialisedWeights: options.initFrom ? initialised : 0, ...options.extraConfig,
  };

  let runId: string;
  let position: ResumeInfo = { step: 0, epoch: 0, batch: 0, masks: masks.getState(), tokenMasks: tokenMasks.getState(), epochLoss: 0, epochCorrect: 0, epochSeen: 0 };
  if (options.resume?.state) {
    runId = options.resume.runId;
    const saved = options.resume.state;
    for (const [name, t] of saved.weights) weights.get(name)?.set(t.data as Float32Array);
    optimizer.load(saved.optimizer);
    position = saved.resume as unknown as ResumeInfo;
    masks.setState(position.masks);
    tokenMasks.setState(position.tokenMasks);
  } else {
    runId = options.resume?.runId ?? (await sink.startRun({ config: runConfig, graph: encodeModel(evalGraph.model), seed }));
  }
  const started = Date.now();
  const state = (): TrainerState => ({
    weights: new Map([...weights].map(([k, v]) => [k, Tensor.float32(shapeOf(evalGraph, k), v)])),
    optimizer: optimizer.state(),
    resume: { ...position, masks: masks.getState(), tokenMasks: tokenMasks.getState() } as unknown as Record<string, unknown>,
  });
  const measure = async (extra: Partial<Metrics> = {}): Promise<Metrics> => {
    const test = await evaluate(evaluation, weights, evalGraph, testSplit, options.batchSize, objective, evaluationRandom(seed));
    return {
      step: position.step, epoch: position.epoch, lr: learningRate(options.optimizer.lr, Math.max(0, position.step - 1), totalSteps, options.schedule, options.warmup),
      testLoss: test.loss, testAccuracy: test.accuracy, elapsed: (Date.now() - started) / 1000, ...extra,
    };
  };
  const checkpointAt = options.checkpointAt ?? (() => false);
  if (!options.resume?.state && checkpointAt(0, totalSteps)) await sink.writeCheckpoint(runId, await measure(), state());

  try {
    let final: Metrics | undefined;
    for (let epoch = position.epoch; epoch < options.epochs; epoch++) {
      const order = epochOrder(seed, epoch, trainSplit.size);
      for (let batch = position.batch; batch < stepsPerEpoch; batch++) {
        const indices = Array.from(order.subarray(batch * options.batchSize, batch * options.batchSize + batchLength(batch)));
        const data = objective.batch(trainSplit, indices, labels, tokenMasks);
        const feeds: Record<string, Tensor> = { [trainInputName(trainGraph)]: data.input, labels: data.labels };
        // The weights' own arrays, not copies: onnxruntime reads them before the optimizer writes.
        for (const [name, w] of weights) if (trainGraph.parameters.includes(name)) feeds[name] = new Tensor('float32', shapeOf(trainGraph, name), w);
        const seq = dataset.kind === 'tokens' ? dataset.shape[0]! : 1;
        // The next step's batch is this epoch's next one, or the next epoch's first.
        Object.assign(feeds, await dropout.take({ batch: indices.length, seq }, { batch: batchLength((batch + 1) % stepsPerEpoch), seq }));
        checkFinite(data.input, position.step + 1);
        // Weights and masks are ours; the batch was checked just above. The loss check below catches divergence.
        const { outputs, gradients } = await training.gradients.run(feeds, {}, { allowNaN: true });
        const loss = (outputs[training.lossName]!.data as Float32Array)[0]!;
        if (!Number.isFinite(loss)) throw new GlassboxError('diverged', `training diverged at step ${position.step + 1}: the loss is ${loss}; lower the learning rate or clip gradients`);
        const grads = new Map(trainGraph.parameters.map((p) => [p, gradients[p]!.data as Float32Array]));
        if (options.clip) clipGradients(grads, options.clip);
        const lr = learningRate(options.optimizer.lr, position.step, totalSteps, options.schedule, options.warmup);
        optimizer.step(new Map(trainGraph.parameters.map((p) => [p, weights.get(p)!])), grads, lr);
        for (const buffer of trainGraph.buffers) {
          const target = weights.get(buffer.name)!;
          const batchStat = outputs[training.bufferSources.get(buffer.name)!]!.data as Float32Array;
          for (let i = 0; i < target.length; i++) target[i] = (1 - buffer.momentum) * target[i]! + buffer.momentum * batchStat[i]!;
        }
        const score = objective.score(outputs.logits!, data.labels);
        position.epochLoss += loss * score.count;
        position.epochCorrect += score.correct;
        position.epochSeen += score.count;
        position.step++;
        position.batch = batch + 1;
        options.onStep?.({ step: position.step, totalSteps, epoch, loss, lr });
        const endOfEpoch = batch + 1 === stepsPerEpoch;
        const checkpoint = checkpointAt(position.step, totalSteps) || (endOfEpoch && options.checkpointEpochs !== false);
        if (endOfEpoch || checkpoint) {
          const trained = endOfEpoch ? { trainLoss: position.epochLoss / position.epochSeen, trainAccuracy: position.epochCorrect / position.epochSeen } : {};
          // The next step starts a new epoch: the saved state must say so, with fresh sums.
          if (endOfEpoch) position = { ...position, epoch: epoch + 1, batch: 0, epochLoss: 0, epochCorrect: 0, epochSeen: 0 };
          const metrics = await measure(trained);
          if (checkpoint) await sink.writeCheckpoint(runId, metrics, state());
          if (endOfEpoch) {
            await sink.writeMetrics(runId, metrics);
            options.onEpoch?.(metrics);
            final = metrics;
          }
        }
      }
    }
    await sink.finishRun(runId, 'completed');
    return { runId, final: final ?? (await measure()), weights: state().weights as Map<string, Tensor> };
  } catch (error) {
    await sink.finishRun(runId, 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    await dropout.close();
    await training.gradients.release();
    await evaluation.release();
  }
}

/** The order of the training examples in `epoch` (a seeded permutation, fresh every epoch). */
export function epochOrder(seed: number, epoch: number, size: number): Int32Array {
  return new Random(seed * 1_000_003 + epoch).permutation(size);
}

function trainInputName(graph: { model: { graph: { feedInputs: readonly { name: string }[] } } }): string {
  const names = graph.model.graph.feedInputs.map((i) => i.name);
  return names.includes('input_ids') ? 'input_ids' : 'input';
}

function shapeOf(graph: { model: { graph: { initializers: Map<string, { dims: unknown[] }> } } }, name: string): number[] {
  const proto = graph.model.graph.initializers.get(name);
  if (!proto) throw new GlassboxError('internal', `weight "${name}" is missing from the recipe graph`);
  return proto.dims.map(Number);
}

function limit(split: DataSplit, n: number | undefined): DataSplit {
  if (n === undefined || n >= split.size) return split;
  return {
    size: n, labels: split.labels.subarray(0, n), inputs: (indices) => split.inputs(indices),
    ...(split.texts ? { texts: split.texts.slice(0, n) } : {}),
    ...(split.positionLabels ? { positionLabels: (indices: readonly number[]) => split.positionLabels!(indices) } : {}),
  };
}

/** The objective by name, checked against the dataset and the recipe's logits. */
function chooseObjective(name: NonNullable<TrainOptions['objective']>, dataset: Dataset, graph: { model: { graph: { outputs: readonly { name: string; shape?: readonly unknown[] }[] } } }): Objective {
  const perPosition = graph.model.graph.outputs.find((o) => o.name === 'logits')?.shape?.length === 3;
  if (name === 'masked-lm') {
    if (!dataset.vocabulary) throw new GlassboxError('bad-option', `masked-LM training needs a text dataset; "${dataset.name}" has no vocabulary`);
    return maskedLanguageModel(dataset.vocabulary.length);
  }
  if (name === 'sequence') {
    if (!dataset.train.positionLabels) throw new GlassboxError('bad-option', `the sequence objective needs per-position labels; dataset "${dataset.name}" has one label per example`);
    if (!perPosition) throw new GlassboxError('bad-option', `dataset "${dataset.name}" labels every position; train it with a recipe that predicts per position (mlm), not one whose logits are [batch, classes]`);
    return sequenceLabelling;
  }
  if (perPosition) throw new GlassboxError('bad-option', 'this recipe predicts per position (logits [batch, seq, vocabulary]): pretrain it with the masked-LM objective, or train it on a dataset with per-position labels');
  return classification;
}

/** Replaces a fixed random subset of labels by uniformly random classes (same for every epoch). */
function corruptLabels(labels: Int32Array, classes: number, fraction: number, seed: number): Int32Array {
  if (!(fraction >= 0 && fraction <= 1)) throw new GlassboxError('bad-option', `the fraction of random labels must be in [0, 1], got ${fraction}`);
  if (fraction === 0) return labels;
  const random = new Random(seed * 31 + 5);
  const out = Int32Array.from(labels);
  const chosen = random.permutation(labels.length).subarray(0, Math.round(fraction * labels.length));
  for (const i of chosen) out[i] = random.int(classes);
  return out;
}

/** A dropout mask: 1/keep where kept, 0 where dropped, with 'batch'/'seq' dims resolved. */
/** NaN or ±Inf in a batch: a one-line error naming the step, before it poisons the weights. */
function checkFinite(input: Tensor, step: number): void {
  if (input.dtype !== 'float32') return;
  const data = input.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new GlassboxError('bad-input', `the training batch of step ${step} contains ${data[i]} (at flat index ${i}): clean the dataset`);
  }
}

/** Test loss and accuracy with the current weights (eval form: running statistics, no dropout). */
export async function evaluate(
  session: Session, weights: ReadonlyMap<string, Float32Array>, graph: Parameters<typeof shapeOf>[0], split: DataSplit, batchSize: number,
  objective: Objective = classification, random: Random = evaluationRandom(0),
): Promise<{ loss: number; accuracy: number }> {
  const feedsBase: Record<string, Tensor> = {};
  for (const [name, w] of weights) feedsBase[name] = new Tensor('float32', shapeOf(graph, name), w);
  const inputName = session.inputs.some((i) => i.name === 'input_ids') ? 'input_ids' : 'input';
  let loss = 0;
  let correct = 0;
  let count = 0;
  for (let start = 0; start < split.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, split.size - start) }, (_, i) => start + i);
    const data = objective.batch(split, indices, split.labels, random);
    const { logits } = await session.run({ ...feedsBase, [inputName]: data.input }, { outputs: ['logits'] });
    const score = objective.score(logits!, data.labels);
    correct += score.correct;
    count += score.count;
    loss += crossEntropyTotal(logits!, data.labels);
  }
  return { loss: loss / Math.max(1, count), accuracy: correct / Math.max(1, count) };
}
