import type { RunStore } from '../store/store.js';
import type { AttributeResponse, LayersResponse } from './api-types.js';
import { Lru } from './lru.js';
import { ModelCache } from './models.js';
import { SerialQueue } from './queue.js';

/** What the routes share: the store, the model cache, the one queue that runs models, result caches. */
export interface ServerContext {
  store: RunStore;
  models: ModelCache;
  /** Everything that runs onnxruntime goes through it, one job at a time. */
  queue: SerialQueue;
  /** Explanations already computed, by request: the slider comes back to checkpoints it has seen. */
  results: Lru<string, AttributeResponse>;
  /** Hookable tensors per run (the graph is the same for every checkpoint). */
  layers: Lru<string, LayersResponse>;
}

export function createContext(store: RunStore): ServerContext {
  return {
    store,
    models: new ModelCache(store, 4),
    queue: new SerialQueue(8),
    results: new Lru(64),
    layers: new Lru(32),
  };
}
