/**
 * The two runs the demo explains: a sentiment Transformer and a small MNIST CNN, each with a
 * checkpoint series. A run the demo trained before (same recipe and settings, recorded under
 * `config.demo`) is reused, so a second `glassbox demo` starts at once.
 */
import { loadDataset } from '../data/index.js';
import type { RunStore } from '../store/store.js';
import { parseSchedule } from '../store/schedule.js';
import { recipe } from '../train/recipes/index.js';
import { train, type TrainOptions } from '../train/trainer.js';
import type { Metrics } from '../train/types.js';

export interface DemoRunSpec {
  /** Recorded in the run's config; a completed run with the same key is reused. */
  key: string;
  title: string;
  recipe: string;
  dataset: string;
  recipeConfig: Record<string, unknown>;
  epochs: number;
  batchSize: number;
  checkpoints: string;
  trainLimit?: number;
  testLimit?: number;
}

/** Bump a key when its settings change, so old runs are not mistaken for the new ones. */
export const DEMO_RUNS = {
  sentiment: {
    key: 'sentiment-transformer-v1',
    title: 'Sentiment Transformer',
    recipe: 'transformer',
    dataset: 'sentiment',
    recipeConfig: { layers: 2 },
    epochs: 10,
    batchSize: 64,
    checkpoints: 'at:0,log:8',
  },
  mnist: {
    key: 'mnist-cnn-v3',
    title: 'MNIST CNN',
    recipe: 'cnn',
    dataset: 'mnist',
    recipeConfig: {},
    epochs: 2,
    batchSize: 64,
    checkpoints: 'at:0,log:8',
    trainLimit: 20000,
    testLimit: 2000,
  },
} as const satisfies Record<string, DemoRunSpec>;

export interface TrainingProgress {
  /** A run is being trained: called with steps done and in all. */
  step(spec: DemoRunSpec, done: number, total: number, loss: number): void;
  epoch(spec: DemoRunSpec, metrics: Metrics): void;
}

/** The id of a completed run made from `spec`, training it when the store has none. */
export async function ensureRun(store: RunStore, spec: DemoRunSpec, progress?: TrainingProgress): Promise<{ runId: string; trained: boolean }> {
  const existing = store.listRuns().filter((r) => r.status === 'completed' && r.config.demo === spec.key).at(-1);
  if (existing) return { runId: existing.id, trained: false };
  const schedule = parseSchedule(spec.checkpoints);
  const options: TrainOptions = {
    recipe: recipe(spec.recipe) as TrainOptions['recipe'],
    recipeConfig: { ...spec.recipeConfig },
    dataset: loadDataset(spec.dataset),
    seed: 1,
    epochs: spec.epochs,
    batchSize: spec.batchSize,
    optimizer: { type: 'adamw', lr: 1e-3 },
    checkpointAt: (step) => schedule.includes(step),
    extraConfig: { checkpoints: spec.checkpoints, demo: spec.key },
    ...(spec.trainLimit ? { trainLimit: spec.trainLimit } : {}),
    ...(spec.testLimit ? { testLimit: spec.testLimit } : {}),
    // Deterministic (one thread): the demo's runs are the same on every machine.
    runtime: { deterministic: true },
    onStep: (p) => progress?.step(spec, p.step, p.totalSteps, p.loss),
    onEpoch: (m) => progress?.epoch(spec, m),
  };
  const result = await train(options, store);
  return { runId: result.runId, trained: true };
}
