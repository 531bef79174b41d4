import { loadDataset } from './src/data/index.js';
import { recipe } from './src/train/recipes/index.js';
import { train } from './src/train/trainer.js';
import { MemorySink } from './test/helpers/train.js';
const ds = loadDataset(process.argv[2] ?? 'mnist');
const t0 = Date.now();
let last = 0;
const r = await train({
  recipe: recipe(process.argv[3] ?? 'cnn') as never, dataset: ds, seed: 1, epochs: Number(process.argv[4] ?? 1), batchSize: 64,
  optimizer: { type: 'adamw', lr: Number(process.argv[6] ?? 1e-3), weightDecay: 0.01 }, trainLimit: Number(process.argv[5] ?? 60000), runtime: { threads: 2 },
  onStep: (p) => { if (p.step % 200 === 0) { console.log(p.step, p.loss.toFixed(4), ((Date.now() - t0) / p.step).toFixed(1), 'ms/step'); } },
  onEpoch: (m) => console.log('epoch', m.epoch, 'train', m.trainAccuracy?.toFixed(3), 'test', m.testAccuracy?.toFixed(3), m.testLoss?.toFixed(3)),
}, new MemorySink());
console.log(r.final, (Date.now() - t0) / 1000, 's');
