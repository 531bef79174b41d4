/**
 * Dropout masks for each training step, drawn one step ahead on a worker thread.
 *
 * A Transformer step needs millions of mask elements; drawn on the main thread they cost as much
 * as a third of the step. The masks are a pure function of the generator's state and the masks'
 * sizes, and the state after them is known without drawing (Random.skip), so the worker draws
 * step k + 1's masks while onnxruntime runs step k, and the result is bit for bit what drawing
 * them in order with Random.next() gives: runs, checkpoints and resumes are unchanged. When a
 * guess about the next step's sizes was wrong (an epoch's short last batch), or the worker is
 * unavailable, the masks are drawn here instead — the same numbers, only slower.
 */
import { Worker } from 'node:worker_threads';
import type { Dim } from '../onnx/ir/value.js';
import { Tensor } from '../tensor/tensor.js';
import { GlassboxError } from '../util/errors.js';
import { advanceState, bernoulliFill, type Random } from '../util/random.js';

export interface MaskSpec {
  name: string;
  shape: readonly Dim[];
  /** Probability of keeping an element; kept elements are scaled by 1 / keep. */
  keep: number;
}

/** Values of the symbolic dims of the mask shapes ('batch', 'seq'). */
export type MaskSizes = Readonly<Record<string, number>>;

interface Job {
  state: number;
  key: string;
  result: Promise<Float32Array[] | undefined>;
}

// The worker runs bernoulliFill's own source: one implementation, two threads.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const bernoulliFill = ${bernoulliFill.toString()};
parentPort.on('message', ({ id, jobs }) => {
  const out = jobs.map((j) => { const a = new Float32Array(j.size); bernoulliFill(a, j.state, j.keep, 1 / j.keep); return a; });
  parentPort.postMessage({ id, out }, out.map((a) => a.buffer));
});`;

export class DropoutMasks {
  private worker: Worker | undefined;
  private next: Job | undefined;
  private ids = 0;
  private readonly waiting = new Map<number, (out: Float32Array[] | undefined) => void>();
  /** Steps whose masks the worker drew ahead, and steps drawn on this thread. */
  readonly served = { ahead: 0, here: 0 };

  constructor(private readonly specs: readonly MaskSpec[], private readonly random: Random, options: { worker?: boolean } = {}) {
    if (options.worker !== false && specs.length > 0) this.startWorker();
  }

  /**
   * The masks of this step (feeds by name), advancing the generator past them; when `upcoming`
   * gives the next step's sizes, the worker starts drawing that step's masks.
   */
  async take(sizes: MaskSizes, upcoming?: MaskSizes): Promise<Record<string, Tensor>> {
    const plan = this.plan(sizes);
    const state = this.random.getState().state;
    const job = this.next;
    this.next = undefined;
    let arrays = job && job.state === state && job.key === plan.key ? await job.result : undefined;
    this.served[arrays ? 'ahead' : 'here']++;
    arrays ??= plan.sizes.map((size, i) => {
      const out = new Float32Array(size);
      bernoulliFill(out, plan.starts[i]!, this.specs[i]!.keep, 1 / this.specs[i]!.keep);
      return out;
    });
    this.random.skip(plan.total);
    if (upcoming && this.worker) this.next = this.request(this.random.getState().state, this.plan(upcoming));
    return Object.fromEntries(this.specs.map((spec, i) => [spec.name, new Tensor('float32', plan.dims[i]!, arrays[i]!)]));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.next = undefined;
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
    if (worker) await worker.terminate();
  }

  private startWorker(): void {
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      worker.on('message', ({ id, out }: { id: number; out: Float32Array[] }) => {
        this.waiting.get(id)?.(out);
        this.waiting.delete(id);
      });
      // A worker that fails leaves the masks to this thread: same numbers, drawn here.
      worker.on('error', () => void this.close());
      this.worker = worker;
    } catch {
      this.worker = undefined;
    }
  }

  private request(state: number, plan: Plan): Job {
    const id = this.ids++;
    const result = new Promise<Float32Array[] | undefined>((resolve) => this.waiting.set(id, resolve));
    this.worker!.postMessage({ id, jobs: plan.sizes.map((size, i) => ({ size, state: plan.starts[i], keep: this.specs[i]!.keep })) });
    return { state, key: plan.key, result };
  }

  /** Each mask's dims, element count and the generator state it starts from (for the current state). */
  private plan(sizes: MaskSizes): Plan {
    let state = this.random.getState().state;
    const plan: Plan = { dims: [], sizes: [], starts: [], total: 0, key: '' };
    for (const spec of this.specs) {
      const dims = spec.shape.map((d) => {
        if (typeof d === 'number') return d;
        const value = d === null ? undefined : sizes[d];
        if (value === undefined) throw new GlassboxError('internal', `cannot size dropout mask "${spec.name}" with dimension ${String(d)}`);
        return value;
      });
      const size = dims.reduce((a, b) => a * b, 1);
      plan.dims.push(dims);
      plan.sizes.push(size);
      plan.starts.push(state);
      state = advanceState(state, size);
      plan.total += size;
    }
    plan.key = plan.dims.map((d) => d.join('x')).join(',');
    return plan;
  }
}

interface Plan {
  dims: number[][];
  sizes: number[];
  /** The state each mask is drawn from, for the generator's state when the plan was made. */
  starts: number[];
  total: number;
  /** The shapes, to tell whether a prefetched step's masks fit the step that came. */
  key: string;
}
