/**
 * Checkpoints loaded as models, kept in a small LRU by (run, step, checksum) with the sessions
 * built for them, so moving the slider back and forth or explaining a second sentence does not
 * rebuild gradient graphs. Evicted models release their onnxruntime sessions. Datasets (class
 * names, vocabularies, test examples) are kept per name: there are only a few.
 */
import { trainingDataset, type ModelRef } from '../explain/model-ref.js';
import { SubjectSessions } from '../explain/subject.js';
import type { RunInfo, RunStore } from '../store/store.js';
import type { Dataset } from '../train/types.js';
import { GlassboxError } from '../util/errors.js';
import { Lru } from './lru.js';

export interface LoadedModel {
  ref: ModelRef;
  sessions: SubjectSessions;
}

export class ModelCache {
  private readonly models: Lru<string, LoadedModel>;
  private readonly datasets = new Map<string, Dataset | null>();
  private readonly releasing = new Set<Promise<void>>();

  constructor(private readonly store: RunStore, capacity = 4) {
    this.models = new Lru(capacity, (m) => {
      const done = m.sessions.release().finally(() => this.releasing.delete(done));
      this.releasing.add(done);
    });
  }

  /** A checkpoint as a model with its run's dataset; unknown runs and steps throw (404). */
  get(runId: string, step: number): LoadedModel {
    const run = this.store.getRun(runId);
    const checkpoint = this.store.getCheckpoint(runId, step);
    // The checksum is in the key: a resumed run may write a step again.
    const key = `${runId}:${step}:${checkpoint.sha256}`;
    let loaded = this.models.get(key);
    if (!loaded) {
      const dataset = this.dataset(run);
      loaded = {
        ref: { model: this.store.checkpointModel(runId, step), label: `${runId}:${step}`, ...(dataset ? { dataset } : {}) },
        sessions: new SubjectSessions(),
      };
      this.models.set(key, loaded);
    }
    return loaded;
  }

  /** The run's dataset, or undefined when it cannot be loaded here (an imported series, a CSV that moved). */
  dataset(run: RunInfo): Dataset | undefined {
    const config = run.config as { dataset?: unknown; vocabFrom?: unknown };
    if (typeof config.dataset !== 'string') return undefined;
    const vocabFrom = typeof config.vocabFrom === 'string' ? config.vocabFrom : undefined;
    const key = `${config.dataset}\u0000${vocabFrom ?? ''}`;
    if (!this.datasets.has(key)) {
      try {
        this.datasets.set(key, trainingDataset(config.dataset, vocabFrom));
      } catch (error) {
        if (!(error instanceof GlassboxError)) throw error;
        this.datasets.set(key, null);
      }
    }
    return this.datasets.get(key) ?? undefined;
  }

  /** Releases every model's sessions (when the server closes). */
  async close(): Promise<void> {
    this.models.clear();
    await Promise.all([...this.releasing]);
  }
}
