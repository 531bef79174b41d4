import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/onnx/builder.js';
import { readWeights } from '../../../src/onnx/edit/weights.js';
import { loadModel, saveModel } from '../../../src/onnx/io.js';
import { exportCheckpoint, parseCheckpointRef } from '../../../src/store/export.js';
import { importSeries, modelDifference, orderByStep } from '../../../src/store/import.js';
import { saveSafetensors } from '../../../src/store/safetensors.js';
import { RunStore } from '../../../src/store/store.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { tempDir, tinyGraph, tinyModel, tinyState, tinyWeights } from './helpers.js';

const stores: RunStore[] = [];
function openStore(dir = tempDir()): RunStore {
  const store = RunStore.open(dir);
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function same(a: Map<string, Tensor>, b: Map<string, Tensor>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, t] of a) expect(t.data, k).toEqual(b.get(k)!.data);
}

describe('CheckpointSeries', () => {
  it('orders checkpoints by step, carries metrics, loads weights lazily', () => {
    const store = openStore();
    const id = store.startRun({ config: { recipe: 'tiny' }, graph: tinyGraph(), seed: 3 });
    for (const step of [20, 0, 10]) store.writeCheckpoint(id, { step, epoch: step / 10, lr: 0.01 }, tinyState(step));
    store.writeMetrics(id, { step: 10, epoch: 1, lr: 0.01, testAccuracy: 0.9 });
    const series = store.series(id);
    expect(series.length).toBe(3);
    expect(series.steps).toEqual([0, 10, 20]);
    expect(series.run.id).toBe(id);
    expect(series.at(10).metrics).toEqual({ step: 10, epoch: 1, lr: 0.01, testAccuracy: 0.9 });
    expect(series.first!.step).toBe(0);
    expect(series.latest!.step).toBe(20);
    expect(series.before(15)!.step).toBe(10);
    expect(series.before(-1)).toBeUndefined();
    same(series.at(20).weights(), tinyWeights(20));
    expect(series.at(20).state().resume).toEqual(tinyState(20).resume);
    same(readWeights(series.at(0).model()), tinyWeights(0));
    expect([...series].map((p) => p.epoch)).toEqual([0, 1, 2]);
    expect(() => series.at(5)).toThrow(`run ${id} has no checkpoint at step 5 (checkpoints at steps 0, 10, 20)`);
  });
});

describe('importing and exporting series', () => {
  it('orders files by the step number in their names, else by name', () => {
    expect(orderByStep(['d/ckpt_100.onnx', 'd/ckpt_20.onnx', 'd/ckpt_3.onnx'])).toEqual([
      { path: 'd/ckpt_3.onnx', step: 3 }, { path: 'd/ckpt_20.onnx', step: 20 }, { path: 'd/ckpt_100.onnx', step: 100 }]);
    expect(orderByStep(['epoch2-step500.onnx', 'epoch1-step250.onnx']).map((o) => o.step)).toEqual([250, 500]);
    expect(orderByStep(['b.onnx', 'final.onnx', 'a1.onnx'])).toEqual([{ path: 'a1.onnx', step: 0 }, { path: 'b.onnx', step: 1 }, { path: 'final.onnx', step: 2 }]);
    expect(orderByStep(['x1.onnx', 'y1.onnx']).map((o) => o.path)).toEqual(['x1.onnx', 'y1.onnx']);
  });

  it('imports a directory of ONNX files and exports each checkpoint back', () => {
    const src = tempDir();
    for (const step of [1, 10, 2]) saveModel(tinyModel(tinyWeights(step)), join(src, `ckpt_${step}.onnx`));
    writeFileSync(join(src, 'notes.txt'), 'not a model');
    const store = openStore();
    const result = importSeries(store, { models: src }, 'external');
    expect(result.steps).toEqual([1, 2, 10]);
    const run = store.getRun(result.run);
    expect(run).toMatchObject({ name: 'external', status: 'imported', checkpoints: 3, steps: 10, interrupted: false });
    expect(run.id).toMatch(/^\d{8}-\d{4}-external$/);
    const out = tempDir();
    for (const step of [1, 2, 10]) {
      const exported = exportCheckpoint(store, run.id, step, join(out, `${step}.onnx`));
      expect(exported.step).toBe(step);
      same(readWeights(loadModel(exported.path)), tinyWeights(step));
    }
    expect(exportCheckpoint(store, run.id, 'latest', join(out, 'latest.onnx')).step).toBe(10);
    expect(readdirSync(out).sort()).toEqual(['1.onnx', '10.onnx', '2.onnx', 'latest.onnx']);
    expect(() => store.writeCheckpoint(run.id, { step: 11, epoch: 0, lr: 0 }, tinyState(11))).toThrow(/imported series; it cannot be written to/);
    expect(() => exportCheckpoint(store, run.id, 1, out)).toThrow(/is a directory/);
  });

  it('refuses a series whose graphs differ, naming the first difference, and leaves no run', () => {
    const src = tempDir();
    saveModel(tinyModel(tinyWeights(1)), join(src, 'ckpt_1.onnx'));
    saveModel(tinyModel(tinyWeights(2)), join(src, 'ckpt_2.onnx'));
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['batch', 4]);
    const y = b.op('MatMul', [x, b.weight('fc.weight', tinyWeights(3).get('fc.weight')!)], {}, { name: 'fc/MatMul' });
    b.op('Sub', [y, b.weight('fc.bias', tinyWeights(3).get('fc.bias')!)], {}, { name: 'fc/Add', outputs: ['logits'] });
    b.output('logits', { elemType: 1, shape: ['batch', 3] });
    saveModel(b.model(), join(src, 'ckpt_3.onnx'));
    const dir = tempDir();
    const store = openStore(dir);
    expect(() => importSeries(store, { models: src })).toThrow(/ckpt_3\.onnx does not match .*ckpt_1\.onnx: node #1 \(Add "fc\/Add"\) is a Sub there; a series needs one architecture/);
    expect(store.listRuns()).toEqual([]);
    expect(readdirSync(join(dir, 'runs'))).toEqual([]);
  });

  it('names differing weights and shapes', () => {
    const a = tinyModel();
    const other = new Map(tinyWeights(0));
    other.set('fc.bias', Tensor.float32([1, 3], [1, 2, 3]));
    expect(modelDifference(a, tinyModel(other))).toBe('weight "fc.bias" is float32[1, 3] instead of float32[3]');
    expect(modelDifference(a, tinyModel(tinyWeights(5)))).toBeUndefined();
  });

  it('imports one graph plus safetensors weights with matching names', () => {
    const src = tempDir();
    saveModel(tinyModel(), join(src, 'model.onnx'));
    const files = [300, 100, 200].map((step) => {
      const path = join(src, `step-${step}.safetensors`);
      saveSafetensors(path, tinyWeights(step));
      return path;
    });
    const store = openStore();
    const result = importSeries(store, { graph: join(src, 'model.onnx'), weights: files });
    expect(result.steps).toEqual([100, 200, 300]);
    expect(store.getRun(result.run).name).toBe('model');
    same(readWeights(store.checkpointModel(result.run, 200)), tinyWeights(200));
    same(store.loadWeights(result.run, 300), tinyWeights(300));
  });

  it('refuses safetensors that do not fit the graph, in one line', () => {
    const src = tempDir();
    saveModel(tinyModel(), join(src, 'model.onnx'));
    const write = (name: string, tensors: Map<string, Tensor>): string => {
      saveSafetensors(join(src, name), tensors);
      return join(src, name);
    };
    const ok = write('a_1.safetensors', tinyWeights(1));
    const misnamed = write('b_2.safetensors', new Map([['fc.weights', tinyWeights(2).get('fc.weight')!]]));
    const misshaped = write('c_3.safetensors', new Map([['fc.bias', Tensor.float32([4])]]));
    const partial = write('d_4.safetensors', new Map([['fc.bias', tinyWeights(4).get('fc.bias')!]]));
    mkdirSync(join(src, 'sub'));
    const broken = join(src, 'e_5.safetensors');
    writeFileSync(broken, 'garbage!garbage!');
    const graph = join(src, 'model.onnx');
    const store = openStore();
    expect(() => importSeries(store, { graph, weights: [misnamed] })).toThrow(/b_2\.safetensors: tensor "fc\.weights" is not a weight of .*model\.onnx \(did you mean "fc\.weight"/);
    expect(() => importSeries(store, { graph, weights: [misshaped] })).toThrow(/tensor "fc\.bias" is float32\[4\], but the graph's weight is float32\[3\]/);
    expect(() => importSeries(store, { graph, weights: [ok, partial] })).toThrow(/d_4\.safetensors has no tensor "fc\.weight", which .*a_1\.safetensors has/);
    expect(() => importSeries(store, { graph, weights: [ok, broken] })).toThrow(/e_5\.safetensors: corrupt safetensors file/);
    expect(() => importSeries(store, { models: join(src, 'sub') })).toThrow(/no \.onnx files in this directory/);
    expect(store.listRuns()).toEqual([]);
  });

  it('parses checkpoint references', () => {
    expect(parseCheckpointRef('20261121-2040-mnist-cnn-s1:200')).toEqual({ run: '20261121-2040-mnist-cnn-s1', step: 200 });
    expect(parseCheckpointRef('abc:latest')).toEqual({ run: 'abc', step: 'latest' });
    expect(parseCheckpointRef('abc')).toEqual({ run: 'abc', step: 'latest' });
    expect(() => parseCheckpointRef('abc:1.5')).toThrow(/must be a step number or "latest"/);
    expect(() => parseCheckpointRef(':3')).toThrow(/names no run/);
  });
});
