import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveModel } from '../../src/onnx/io.js';
import { saveSafetensors } from '../../src/store/safetensors.js';
import { RunStore } from '../../src/store/store.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { cli, type CliResult } from '../helpers/cli.js';
import { tempDir, tinyForward, tinyGraph, tinyModel, tinyState, tinyWeights } from '../unit/store/helpers.js';

let store: string;
let runId: string;
let failedId: string;
const x = [1, -2, 0.5, 3];

beforeAll(() => {
  store = join(tempDir('glassbox-e2e-store-'), 'store');
  const s = RunStore.open(store);
  runId = s.startRun({ config: { recipe: 'tiny', dataset: 'toy', epochs: 2, optimizer: { type: 'sgd', lr: 0.1 } }, graph: tinyGraph(), seed: 1 });
  for (const step of [0, 10, 20]) {
    s.writeCheckpoint(runId, { step, epoch: step / 10, lr: 0.1, trainLoss: 2 - step / 20, trainAccuracy: 0.3 + step / 50, testLoss: 2.1 - step / 20, testAccuracy: 0.25 + step / 50 }, tinyState(step));
  }
  s.writeMetrics(runId, { step: 15, epoch: 1.5, lr: 0.1, trainLoss: 1.2 });
  s.finishRun(runId, 'completed');
  failedId = s.startRun({ config: { recipe: 'tiny', dataset: 'toy' }, graph: tinyGraph(), seed: 2 });
  s.writeCheckpoint(failedId, { step: 5, epoch: 0, lr: 0.1 }, tinyState(5));
  s.finishRun(failedId, 'failed', 'training diverged at step 6');
  s.close();
});

function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

async function runLogits(model: string): Promise<number[]> {
  const result = await cli('run', model, '--input', JSON.stringify([x]), '--json');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout).outputs.logits.data as number[];
}

describe('glassbox runs', () => {
  it('lists runs as a table and as JSON', async () => {
    const table = await cli('runs', 'list', '--store', store);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+dataset\s+status\s+steps\s+checkpoints\s+best test acc\s+created$/);
    expect(lines[1]).toMatch(new RegExp(`^${runId}\\s+tiny\\s+toy\\s+completed\\s+20\\s+3\\s+65\\.00%\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
    expect(lines[2]).toMatch(new RegExp(`^${failedId}\\s+tiny\\s+toy\\s+failed\\s+5\\s+1\\s+-`));
    const json = JSON.parse((await cli('runs', 'list', '--store', store, '--json')).stdout);
    expect(json.runs.map((r: { id: string }) => r.id)).toEqual([runId, failedId]);
    expect(json.runs[0]).toMatchObject({ status: 'completed', steps: 20, checkpoints: 3, bestTestAccuracy: 0.65, seed: 1, recipe: 'tiny', dataset: 'toy' });
    expect((await cli('runs', '--store', store)).stdout).toBe(table.stdout);
  });

  it('shows a run: config, metrics per checkpoint, files', async () => {
    const { code, stdout } = await cli('runs', 'show', runId, '--store', store);
    expect(code).toBe(0);
    expect(stdout).toContain(`${runId}  tiny`);
    expect(stdout).toMatch(/status completed · created/);
    expect(stdout).toMatch(/seed 1 · recipe tiny · dataset toy · 20 steps/);
    expect(stdout).toMatch(/"optimizer": \{\n\s+"type": "sgd",/);
    expect(stdout).toMatch(/step\s+epoch\s+lr\s+train loss\s+train acc\s+test loss\s+test acc\s+size/);
    expect(stdout).toMatch(/\n\s+10\s+1\s+0\.1\s+1\.5\s+50\.00%\s+1\.6\s+45\.00%\s+[\d.]+ K?B/);
    expect(stdout).toMatch(/1 more metrics rows between checkpoints/);
    expect(stdout).toMatch(/graph\s+\S*graph\.onnx/);
    expect(stdout).toMatch(/checkpoints\s+\S*\/checkpoints\/<step>\.safetensors \(3 files/);
    const json = JSON.parse((await cli('runs', 'show', runId, '--store', store, '--json')).stdout);
    expect(json.run.id).toBe(runId);
    expect(json.checkpoints.map((c: { step: number }) => c.step)).toEqual([0, 10, 20]);
    expect(json.metrics.map((m: { step: number }) => m.step)).toEqual([0, 10, 15, 20]);
    expect(json.files.graph).toMatch(/graph\.onnx$/);
    // A failed run shows why.
    expect((await cli('runs', 'show', failedId, '--store', store)).stdout).toMatch(/status failed \(training diverged at step 6\)/);
  });
});

describe('glassbox export', () => {
  it('writes a checkpoint as an ONNX model that computes with its weights', async () => {
    const dir = tempDir();
    const out = join(dir, 'step10.onnx');
    const result = await cli('export', `${runId}:10`, out, '--store', store);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^wrote .*step10\\.onnx: run ${runId}, checkpoint at step 10 \\(.*\\)\\n$`));
    const logits = await runLogits(out);
    const expected = tinyForward(tinyWeights(10), x);
    logits.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(expected).not.toEqual(tinyForward(tinyWeights(20), x));

    const latest = JSON.parse((await cli('export', `${runId}:latest`, join(dir, 'latest.onnx'), '--store', store, '--json')).stdout);
    expect(latest).toMatchObject({ run: runId, step: 20 });
    (await runLogits(join(dir, 'latest.onnx'))).forEach((v, i) => expect(v).toBeCloseTo(tinyForward(tinyWeights(20), x)[i]!, 5));
  });
});

describe('glassbox runs rm', () => {
  it('removes runs, rows and files; a typo or a run being trained removes nothing', async () => {
    const dir = join(tempDir(), 'store');
    const s = RunStore.open(dir);
    const ids = [1, 2, 3].map((seed) => {
      const id = s.startRun({ config: { recipe: 'tiny', dataset: 'toy' }, graph: tinyGraph(), seed });
      s.writeCheckpoint(id, { step: 1, epoch: 0, lr: 0.1 }, tinyState(1));
      if (seed < 3) s.finishRun(id, 'completed');
      return id;
    });
    // Run 3 stays 'running', written by this (live) process.
    expectOneLineError(await cli('runs', 'rm', ids[0]!, 'no-such-run', '--store', dir), /^glassbox: no run "no-such-run" in /);
    expectOneLineError(await cli('runs', 'rm', ids[2]!, '--store', dir), new RegExp(`^glassbox: run ${ids[2]} is being trained right now \\(process ${process.pid}\\)`));
    expect(s.listRuns()).toHaveLength(3);
    const removed = await cli('runs', 'rm', ids[0]!, ids[1]!, ids[0]!, '--store', dir); // a repeated id is removed once
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(new RegExp(`^removed ${ids[0]}  \\(1 checkpoint, [\\d.]+ \\w?B\\)\nremoved ${ids[1]}  `));
    expect(s.listRuns().map((r) => r.id)).toEqual([ids[2]]);
    expect(existsSync(join(dir, 'runs', ids[0]!))).toBe(false);
    s.close();
  });
});

describe('glassbox import', () => {
  it('imports a directory of three ONNX files, then exports a checkpoint of it', async () => {
    const src = tempDir();
    for (const step of [100, 50, 200]) saveModel(tinyModel(tinyWeights(step)), join(src, `ckpt_${step}.onnx`));
    const target = join(tempDir(), 'store');
    const result = await cli('import', src, '--name', 'elsewhere', '--store', target);
    expect(result.code).toBe(0);
    const id = /as run (\S+) /.exec(result.stdout)![1]!;
    expect(result.stdout).toBe(`imported 3 checkpoints as run ${id} (steps 50, 100, 200)\n`);
    const list = JSON.parse((await cli('runs', 'list', '--store', target, '--json')).stdout);
    expect(list.runs).toHaveLength(1);
    expect(list.runs[0]).toMatchObject({ id, name: 'elsewhere', status: 'imported', checkpoints: 3, steps: 200 });
    const out = join(tempDir(), 'm.onnx');
    expect((await cli('export', `${id}:100`, out, '--store', target)).code).toBe(0);
    (await runLogits(out)).forEach((v, i) => expect(v).toBeCloseTo(tinyForward(tinyWeights(100), x)[i]!, 5));
    // The exported model computes what the imported file did.
    (await runLogits(join(src, 'ckpt_100.onnx'))).forEach((v, i) => expect(v).toBeCloseTo(tinyForward(tinyWeights(100), x)[i]!, 5));
  });

  it('imports one graph with safetensors weights', async () => {
    const src = tempDir();
    saveModel(tinyModel(), join(src, 'net.onnx'));
    const weights = [1, 2].map((step) => {
      saveSafetensors(join(src, `w${step}.safetensors`), tinyWeights(step));
      return join(src, `w${step}.safetensors`);
    });
    const target = join(tempDir(), 'store');
    const json = JSON.parse((await cli('import', join(src, 'net.onnx'), '--weights', ...weights, '--store', target, '--json')).stdout);
    expect(json.steps).toEqual([1, 2]);
    const out = join(src, 'two.onnx');
    expect((await cli('export', `${json.run}:2`, out, '--store', target)).code).toBe(0);
    (await runLogits(out)).forEach((v, i) => expect(v).toBeCloseTo(tinyForward(tinyWeights(2), x)[i]!, 5));
  });
});

describe('run store errors are one line', () => {
  it('a missing store', async () => {
    expectOneLineError(await cli('runs', 'list', '--store', join(tempDir(), 'nowhere')), /^glassbox: no run store in .*nowhere \(no such directory\): train or import a run first, or point --store at a store\n$/);
    expectOneLineError(await cli('export', 'x:1', 'o.onnx', '--store', join(tempDir(), 'nowhere')), /no run store/);
  });

  it('an unknown run, with close ids suggested', async () => {
    const typo = runId.replace(/s1$/, 's7');
    expectOneLineError(await cli('runs', 'show', typo, '--store', store), new RegExp(`no run "${typo}" in .* \\(did you mean "${runId}"`));
    expectOneLineError(await cli('export', 'bogus:1', join(tempDir(), 'o.onnx'), '--store', store), /no run "bogus" in .*see glassbox runs list/);
  });

  it('an unknown checkpoint, listing the steps there are', async () => {
    expectOneLineError(await cli('export', `${runId}:15`, join(tempDir(), 'o.onnx'), '--store', store), new RegExp(`run ${runId} has no checkpoint at step 15 \\(checkpoints at steps 0, 10, 20\\)`));
    expectOneLineError(await cli('export', `${runId}:ten`, join(tempDir(), 'o.onnx'), '--store', store), /the checkpoint must be a step number or "latest", got "ten"/);
  });

  it('a corrupt safetensors file', async () => {
    const dir = join(tempDir(), 'store');
    const s = RunStore.open(dir);
    const id = s.startRun({ config: {}, graph: tinyGraph(), seed: 0 });
    s.writeCheckpoint(id, { step: 3, epoch: 0, lr: 1 }, tinyState(3));
    s.close();
    const file = join(dir, 'runs', id, 'checkpoints', '3.safetensors');
    writeFileSync(file, readFileSync(file).subarray(0, 100));
    expectOneLineError(await cli('export', `${id}:3`, join(tempDir(), 'o.onnx'), '--store', dir), /3\.safetensors: corrupt safetensors file: /);
    const src = tempDir();
    saveModel(tinyModel(), join(src, 'net.onnx'));
    writeFileSync(join(src, 'bad.safetensors'), 'not safetensors');
    expectOneLineError(await cli('import', join(src, 'net.onnx'), '--weights', join(src, 'bad.safetensors'), '--store', dir), /bad\.safetensors: corrupt safetensors file: /);
  });

  it('a store from a newer glassbox', async () => {
    const dir = join(tempDir(), 'store');
    RunStore.open(dir).close();
    const db = new Database(join(dir, 'store.sqlite'));
    db.prepare("INSERT INTO schema_version VALUES (?, 'future', '2030-01-01')").run(SCHEMA_VERSION + 1);
    db.close();
    expectOneLineError(await cli('runs', 'list', '--store', dir), new RegExp(`was written by a newer glassbox \\(store schema version ${SCHEMA_VERSION + 1}; this glassbox reads up to ${SCHEMA_VERSION}\\): upgrade glassbox`));
  });

  it('bad import sources', async () => {
    const dir = join(tempDir(), 'store');
    expectOneLineError(await cli('import', join(tempDir(), 'missing'), '--store', dir), /missing: no such file or directory/);
    expectOneLineError(await cli('import', tempDir(), '--store', dir), /no \.onnx files in this directory/);
    expectOneLineError(await cli('import', tempDir(), '--weights', 'a.safetensors', '--store', dir), /--weights goes with one ONNX graph/);
  });
});
