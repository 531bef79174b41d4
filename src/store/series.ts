import { GlassboxError } from '../util/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Model } from '../onnx/ir/model.js';
import type { Metrics, TrainerState } from '../train/types.js';
import type { CheckpointInfo, RunInfo, RunStore } from './store.js';

/** One checkpoint of a series: what is known from the store, and its weights on demand. */
export interface SeriesPoint {
  step: number;
  epoch?: number;
  /** The metrics logged at this step (the metrics table, else those stored with the checkpoint). */
  metrics?: Metrics;
  checkpoint: CheckpointInfo;
  /** Reads the checkpoint's weights and buffers (from disk at each call). */
  weights(): Map<string, Tensor>;
  /** Weights, optimizer slots and resume state. */
  state(): TrainerState;
  /** The run's graph with this checkpoint's weights. */
  model(): Model;
}

/**
 * A run's checkpoints as one ordered object (by step), with their metrics; weights are loaded
 * lazily, one checkpoint at a time, so a long series costs nothing until it is read. It is a
 * snapshot: checkpoints a trainer writes later appear in a new series.
 */
export class CheckpointSeries implements Iterable<SeriesPoint> {
  readonly run: RunInfo;
  readonly points: readonly SeriesPoint[];

  constructor(store: RunStore, runId: string) {
    this.run = store.getRun(runId);
    const logged = new Map(store.metrics(runId).map((m) => [m.step, m]));
    this.points = store.listCheckpoints(runId).map((checkpoint): SeriesPoint => {
      const metrics = logged.get(checkpoint.step) ?? checkpoint.metrics;
      return {
        step: checkpoint.step,
        ...(checkpoint.epoch !== undefined ? { epoch: checkpoint.epoch } : {}),
        ...(metrics ? { metrics } : {}),
        checkpoint,
        weights: () => store.loadWeights(runId, checkpoint.step),
        state: () => store.loadCheckpoint(runId, checkpoint.step),
        model: () => store.checkpointModel(runId, checkpoint.step),
      };
    });
  }

  get length(): number {
    return this.points.length;
  }

  get steps(): number[] {
    return this.points.map((p) => p.step);
  }

  get first(): SeriesPoint | undefined {
    return this.points[0];
  }

  get latest(): SeriesPoint | undefined {
    return this.points[this.points.length - 1];
  }

  /** The checkpoint at `step` (one-line error listing the steps there are). */
  at(step: number): SeriesPoint {
    const point = this.points.find((p) => p.step === step);
    if (!point) {
      throw new GlassboxError('unknown-checkpoint', this.points.length
        ? `run ${this.run.id} has no checkpoint at step ${step} (checkpoints at steps ${this.steps.join(', ')})`
        : `run ${this.run.id} has no checkpoints`);
    }
    return point;
  }

  /** The latest checkpoint at or before `step`. */
  before(step: number): SeriesPoint | undefined {
    let found: SeriesPoint | undefined;
    for (const p of this.points) if (p.step <= step) found = p;
    return found;
  }

  [Symbol.iterator](): Iterator<SeriesPoint> {
    return this.points[Symbol.iterator]();
  }
}

/** The checkpoint series of a run. */
export function checkpointSeries(store: RunStore, runId: string): CheckpointSeries {
  return new CheckpointSeries(store, runId);
}
