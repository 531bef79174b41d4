import { createHash } from 'node:crypto';
import { encodeModel } from '../onnx/io.js';
import type { Model } from '../onnx/ir/model.js';
import { buildGradientGraph, type GradientGraph, type GradientRequest } from './gradients.js';

/**
 * Built gradient graphs, reused per (model contents, request): attribution methods, checkpoint
 * sweeps and the dashboard ask for the same graph again and again. Keyed by a hash of the
 * model's bytes, so a model edited in place is a new entry, never a stale hit.
 */
export class GradientGraphCache {
  private readonly entries = new Map<string, GradientGraph>();

  constructor(private readonly capacity = 16) {}

  get(model: Model, request: GradientRequest): GradientGraph {
    const key = `${createHash('sha256').update(encodeModel(model)).digest('hex')}:${requestKey(request)}`;
    let graph = this.entries.get(key);
    if (graph) {
      this.entries.delete(key); // most recently used goes last
    } else {
      graph = buildGradientGraph(model, request);
    }
    this.entries.set(key, graph);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return graph;
  }

  get size(): number {
    return this.entries.size;
  }
}

function requestKey(request: GradientRequest): string {
  return JSON.stringify([request.of, request.wrt, request.seed ?? 'input', request.keep ?? null, request.sequenceLength ?? null, request.rules?.name ?? null]);
}

/** The process-wide cache the engine uses. */
export const gradientGraphs = new GradientGraphCache();
