import { GraphBuilder } from '../../src/onnx/builder.js';
import { Random } from '../../src/util/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import type { CheckpointSink, Dataset, DataSplit, Metrics, Recipe, TrainerState } from '../../src/train/types.js';

/** A CheckpointSink that keeps everything in memory. */
export class MemorySink implements CheckpointSink {
  runs = new Map<string, { config: Record<string, unknown>; status: string; message?: string }>();
  checkpoints: { runId: string; metrics: Metrics; state: TrainerState }[] = [];
  metrics: { runId: string; metrics: Metrics }[] = [];

  startRun(info: { config: Record<string, unknown> }): string {
    const id = `run${this.runs.size + 1}`;
    this.runs.set(id, { config: info.config, status: 'running' });
    return id;
  }

  writeCheckpoint(runId: string, metrics: Metrics, state: TrainerState): void {
    // Copy the tensors: the trainer keeps updating its arrays in place.
    const copy = (m: ReadonlyMap<string, Tensor>) => new Map([...m].map(([k, t]) => [k, new Tensor(t.dtype, t.shape, (t.data as Float32Array).slice())]));
    this.checkpoints.push({ runId, metrics, state: { weights: copy(state.weights), optimizer: copy(state.optimizer), resume: JSON.parse(JSON.stringify(state.resume)) } });
  }

  writeMetrics(runId: string, metrics: Metrics): void {
    this.metrics.push({ runId, metrics });
  }

  finishRun(runId: string, status: string, message?: string): void {
    const run = this.runs.get(runId)!;
    run.status = status;
    if (message !== undefined) run.message = message;
  }
}

/** Two Gaussian blobs in 4-D, linearly separable: a dataset a tiny MLP learns in a few steps. */
export function blobs(train = 96, test = 32, seed = 3): Dataset {
  const random = new Random(seed);
  const make = (n: number): DataSplit => {
    const x = new Float32Array(n * 4);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (let j = 0; j < 4; j++) x[i * 4 + j] = random.normal() * 0.5 + (labels[i] ? 1 : -1) * (j < 2 ? 1 : 0);
    }
    return { size: n, labels, inputs: (idx) => Tensor.float32([idx.length, 4], idx.flatMap((i) => Array.from(x.subarray(i * 4, i * 4 + 4)))) };
  };
  return { name: 'blobs', kind: 'vector', shape: [4], classes: ['a', 'b'], train: make(train), test: make(test), source: 'synthetic' };
}

/** A 4 → 8 → 2 MLP with dropout in its train form: enough to exercise masks and the optimizer. */
export const tinyMlp: Recipe<{ hidden: number; keep: number }> = {
  name: 'tiny-mlp',
  description: 'test recipe',
  kinds: ['vector'],
  defaults: { hidden: 8, keep: 0.8 },
  build(context, config, form) {
    const random = new Random(context.seed);
    const b = new GraphBuilder();
    const x = b.input('input', 'float32', ['batch', 4]);
    const init = (shape: number[], fanIn: number) => Tensor.float32(shape, Array.from({ length: shape.reduce((a, c) => a * c, 1) }, () => random.uniform(-1, 1) / Math.sqrt(fanIn)));
    const w1 = b.weight('fc1.weight', init([config.hidden, 4], 4));
    const b1 = b.weight('fc1.bias', init([config.hidden], 4));
    const w2 = b.weight('fc2.weight', init([context.classes, config.hidden], config.hidden));
    const b2 = b.weight('fc2.bias', init([context.classes], config.hidden));
    let h = b.op('Relu', [b.op('Gemm', [x, w1, b1], { transB: 1 })]);
    const masks = [];
    if (form === 'train') {
      masks.push({ name: 'dropout1', shape: ['batch', config.hidden], keep: config.keep });
      h = b.op('Mul', [h, b.input('dropout1', 'float32', ['batch', config.hidden])]);
    }
    b.op('Gemm', [h, w2, b2], { transB: 1 }, { outputs: ['logits'] });
    b.output('logits');
    return { model: b.model({ opset: 17 }), parameters: ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'], buffers: [], masks };
  },
};
