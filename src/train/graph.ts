import { GraphBuilder } from '../onnx/builder.js';
import { cloneModel } from '../onnx/edit/clone.js';
import { initializersToInputs } from '../onnx/edit/weights.js';
import type { Model } from '../onnx/ir/model.js';
import { GradientSession } from '../engine/gradient-session.js';
import { prepareModel } from '../engine/prepare.js';
import type { RuntimeOptions } from '../runtime/options.js';
import { Session } from '../runtime/session.js';
import { appendCrossEntropy, type LossKind } from './loss.js';
import type { RecipeGraph } from './types.js';

export interface TrainingSession {
  /** One forward + backward: outputs 'loss', 'logits' and the buffers' batch statistics; gradients per parameter. */
  gradients: GradientSession;
  /** Graph outputs holding each buffer's batch statistic. */
  bufferSources: ReadonlyMap<string, string>;
  lossName: string;
}

/**
 * The graph one training step runs: the recipe's train form with its parameters turned into
 * inputs (fed from the optimizer's arrays each step), cross-entropy on a 'labels' input, and
 * the gradient of the loss w.r.t. every parameter, all in one onnxruntime run.
 */
export async function createTrainingSession(train: RecipeGraph, kind: LossKind, runtime: RuntimeOptions = {}): Promise<TrainingSession> {
  const model = cloneModel(train.model);
  initializersToInputs(model, train.parameters);
  const b = new GraphBuilder(model.graph);
  const labels = b.input('labels', 'int64', kind === 'classification' ? ['batch'] : ['batch', 'seq']);
  const loss = appendCrossEntropy(b, 'logits', labels, kind);
  const sources = new Map(train.buffers.map((buf) => [buf.name, buf.from]));
  model.graph.outputs = [{ name: loss }, { name: 'logits' }, ...[...sources.values()].map((name) => ({ name }))];
  const { model: prepared } = await prepareModel(model, { probeOptions: { dims: { seq: 8 } } });
  const gradients = await GradientSession.create(prepared, {
    of: [loss], wrt: train.parameters, seed: 'ones', keep: [loss, 'logits', ...sources.values()],
  }, runtime);
  return { gradients, bufferSources: sources, lossName: loss };
}

/**
 * The eval form with every weight and buffer as an input, so one session evaluates any
 * checkpoint (and the weights of the current step) without being rebuilt.
 */
export async function createEvalSession(evalGraph: RecipeGraph, weightNames: readonly string[], runtime: RuntimeOptions = {}): Promise<Session> {
  const model: Model = cloneModel(evalGraph.model);
  initializersToInputs(model, weightNames);
  const { model: prepared } = await prepareModel(model, { probeOptions: { dims: { seq: 8 } } });
  return Session.create(prepared, runtime);
}
