/**
 * glassbox — the package's one API surface. Everything a program needs is exported here, and
 * these types are the reference documentation.
 */

// Errors: every failure glassbox reports on purpose is a one-line GlassboxError.
export { GlassboxError } from '../util/errors.js';
export { Random } from '../util/random.js';

// Tensors and the JSON tensor format.
export { Tensor, concatBatch } from '../tensor/tensor.js';
export { DTYPES, isFloat, type DType, type DataFor, type NumericDType, type TensorData } from '../tensor/dtype.js';
export { sizeOf, formatShape, type Shape } from '../tensor/shape.js';
export { castTensor } from '../tensor/cast.js';
export { parseTensorText, parseTensorValue, tensorToJson, type ParsedTensor, type TensorJson } from '../tensor/json.js';

// ONNX models: files, the graph IR, edits, normalisation, shapes, building graphs.
export { loadModel, decodeModel, encodeModel, saveModel, readModelFile, type LoadOptions } from '../onnx/io.js';
export { validateModel, MIN_OPSET, MAX_OPSET } from '../onnx/validate.js';
export { Model } from '../onnx/ir/model.js';
export { Graph, type Producer } from '../onnx/ir/graph.js';
export { Node } from '../onnx/ir/node.js';
export type { Attribute, AttributeInput, AttributeValue } from '../onnx/ir/attribute.js';
export type { Dim, ValueInfo } from '../onnx/ir/value.js';
export { tensorFromProto, tensorToProto } from '../onnx/ir/tensor-proto.js';
export { GraphBuilder, type OpOptions } from '../onnx/builder.js';
export { cloneModel } from '../onnx/edit/clone.js';
export { exposeOutputs } from '../onnx/edit/expose.js';
export { cutAt } from '../onnx/edit/cut.js';
export { replaceWeights, readWeights, initializersToInputs } from '../onnx/edit/weights.js';
export { removeDeadNodes } from '../onnx/edit/dead-code.js';
export { normalize, CANONICAL_OPSET } from '../onnx/normalize/index.js';
export { inferShapes, type InferShapesOptions, type ShapeReport } from '../onnx/shapes/index.js';

// Running models on onnxruntime.
export { Session, SessionCache, type RunOptions } from '../runtime/session.js';
export type { RuntimeOptions } from '../runtime/options.js';
export { summariseProfile, profiledRuns, latestProfile, readProfile, type ProfileSummary, type TraceEvent } from '../runtime/profile.js';
export type { Feeds, FeedCheckOptions } from '../runtime/feeds.js';
export { runBatched, chunkSize, DEFAULT_MEMORY_BUDGET, type BatchOptions } from '../runtime/batching.js';
export { probeShapes, type ProbeOptions, type ProbeReport } from '../runtime/probe.js';
export { sampleFeeds, type SampleFeedOptions } from '../runtime/sample-feeds.js';

// Gradients: the graph builder, its rules, second order.
export { buildGradientGraph, type GradientGraph, type GradientRequest } from '../autodiff/gradients.js';
export { buildHvpGraph, type HvpGraph } from '../autodiff/hvp.js';
export { lowerRecurrent, type LowerRecurrentOptions } from '../autodiff/lower/index.js';
export { isDifferentiable, missingGradientRules, NON_DIFFERENTIABLE_OPS } from '../autodiff/coverage.js';
export { registeredOps } from '../autodiff/rules/index.js';
export type { GradContext, GradientRule, InputGradients } from '../autodiff/types.js';

// The engine: prepared models, gradient sessions, gradient checks.
export { prepareModel, type PrepareOptions, type PreparedModel } from '../engine/prepare.js';
export { GradientSession, type GradientResult } from '../engine/gradient-session.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from '../engine/gradcheck.js';
export { targetSeed, onesSeed } from '../engine/seeds.js';

// Model summaries (what `glassbox inspect` prints).
export { summarizeModel, type ModelSummary, type SummaryOptions, type TensorSummary, type HookSummary } from '../inspect/summary.js';

// Datasets that ship with glassbox.
export { loadMnist, type DigitImages } from '../data/mnist.js';
export { readIdx, type IdxArray } from '../data/idx.js';

// Datasets (shipped with glassbox, or your own CSV/JSONL) and training.
export {
  loadDataset, listDatasets, encodeText, tokenize, loadTextTable, loadVectorTable, loadBrownTagged, readImageFile,
  type DatasetInfo, type LoadDatasetOptions, type TextDataset, type ImageDataset, type EncodedText,
} from '../data/index.js';
export type { Dataset, DataSplit, InputKind, Recipe, RecipeContext, RecipeGraph, Metrics, TrainerState, CheckpointSink } from '../train/types.js';
export { listRecipes, recipe } from '../train/recipes/index.js';
export { train, evaluate, epochOrder, type TrainOptions, type TrainResult, type StepProgress } from '../train/trainer.js';
export { createOptimizer, clipGradients, learningRate, type Optimizer, type OptimizerConfig, type ScheduleConfig, type ClipConfig } from '../train/optim/index.js';
export { appendCrossEntropy, IGNORE_INDEX, type LossKind } from '../train/loss.js';

// The run store: runs, checkpoint series, analyses.
export * from '../store/index.js';

// Attribution: Captum's methods, text support, metrics; and pictures of the results.
export * from '../attribution/index.js';
export * from '../render/index.js';

// Explaining predictions end to end (what `glassbox attribute` and the dashboard run).
export * from '../explain/index.js';
export { startServer, DEFAULT_HOST as DEFAULT_SERVER_HOST, DEFAULT_PORT as DEFAULT_SERVER_PORT, type ServerOptions, type RunningServer } from '../server/index.js';

// Analyses: how much of each input word every layer keeps (Guan et al. 2019).
export * from '../analysis/index.js';
