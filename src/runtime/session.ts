import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import ort from 'onnxruntime-node';
import { GlassboxError, errorMessage } from '../util/errors.js';
import { encodeModel } from '../onnx/io.js';
import type { Model } from '../onnx/ir/model.js';
import type { ValueInfo } from '../onnx/ir/value.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFeeds, type FeedCheckOptions, type Feeds } from './feeds.js';
import { fromOrt, toOrt } from './ort-tensor.js';
import { optionsKey, ortSessionOptions, type RuntimeOptions } from './options.js';
import { preflight } from './preflight.js';

export interface RunOptions extends FeedCheckOptions {
  /** Which graph outputs to compute. Default: all. */
  outputs?: readonly string[];
}

/**
 * A model loaded into onnxruntime. Feeds are checked against the model's declared inputs
 * before they reach native code, and every failure comes back as a one-line GlassboxError.
 */
export class Session {
  readonly inputs: readonly ValueInfo[];
  readonly outputNames: readonly string[];

  private constructor(private readonly session: ort.InferenceSession, readonly model: Model) {
    this.inputs = model.graph.feedInputs;
    this.outputNames = model.graph.outputs.map((o) => o.name);
  }

  static async create(model: Model, options: RuntimeOptions = {}): Promise<Session> {
    return Session.fromBytes(model, encodeModel(model), options);
  }

  /** For callers that already hold the encoded bytes of `model`. */
  static async fromBytes(model: Model, bytes: Uint8Array, options: RuntimeOptions = {}): Promise<Session> {
    preflight(model);
    // onnxruntime silently writes no profile into a folder that does not exist.
    if (options.profile !== undefined && !existsSync(dirname(options.profile))) {
      throw new GlassboxError('bad-input', `cannot write the profile: folder ${dirname(options.profile)} does not exist`);
    }
    try {
      return new Session(await ort.InferenceSession.create(bytes, ortSessionOptions(options)), model);
    } catch (error) {
      throw new GlassboxError('runtime', `onnxruntime could not load the model: ${cleanOrtMessage(error)}`, { cause: error });
    }
  }

  async run(feeds: Feeds, options: RunOptions = {}): Promise<Record<string, Tensor>> {
    checkFeeds(this.inputs, feeds, options);
    const outputs = options.outputs ?? this.outputNames;
    for (const name of outputs) {
      if (!this.outputNames.includes(name)) {
        throw new GlassboxError('bad-output', `the model has no output "${name}" (its outputs: ${this.outputNames.map((n) => `"${n}"`).join(', ')})`);
      }
    }
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = toOrt(tensor);
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await this.session.run(ortFeeds, outputs as string[]);
    } catch (error) {
      throw new GlassboxError('runtime', `onnxruntime failed while running the model: ${cleanOrtMessage(error)}`, { cause: error });
    }
    const out: Record<string, Tensor> = {};
    for (const name of outputs) out[name] = fromOrt(result[name]!, name);
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** onnxruntime messages carry file/line prefixes and status codes; keep what a user can act on. */
function cleanOrtMessage(error: unknown): string {
  return errorMessage(error)
    .replace(/\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/g, '')
    .replace(/\/onnxruntime_src\/[^\s]*:\d+\s*/g, '')
    .replace(/\b[\w:<>]+\(\)?\s*\[with [^\]]*\]\s*/g, '')
    .slice(0, 600);
}

/**
 * Sessions are expensive to create (graph optimisation, weight pre-packing), so callers share
 * them through a small least-recently-used cache keyed by model bytes and options.
 */
export class SessionCache {
  private readonly entries = new Map<string, Promise<Session>>();

  constructor(private readonly capacity = 8) {}

  async get(model: Model, options: RuntimeOptions = {}): Promise<Session> {
    const bytes = encodeModel(model);
    const key = `${createHash('sha256').update(bytes).digest('hex')}:${optionsKey(options)}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // move to most-recent position
    } else {
      entry = Session.fromBytes(model, bytes, options);
      entry.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const [oldest, evicted] = this.entries.entries().next().value as [string, Promise<Session>];
      this.entries.delete(oldest);
      evicted.then((s) => s.release(), () => undefined);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((p) => p.then((s) => s.release(), () => undefined)));
  }
}
