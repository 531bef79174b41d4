import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RUNS, ensureRun, type DemoRunSpec } from '../../src/demo/runs.js';
import { RunStore } from '../../src/store/store.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * `glassbox demo` as the README runs it, on a store where small versions of the demo's two runs
 * already exist (trained here in seconds under the demo's keys), so the test exercises reuse,
 * every analysis, the report and the dashboard without a minute of training. The training path
 * itself is the trainer's, tested in test/e2e/train.test.ts.
 */
let store: string;
beforeAll(async () => {
  store = join(mkdtempSync(join(tmpdir(), 'glassbox-demo-')), 'runs');
  const s = RunStore.open(store, { create: true });
  try {
    const small = (spec: DemoRunSpec): DemoRunSpec => ({ ...spec, epochs: 1, trainLimit: 400, testLimit: 60, checkpoints: 'at:0,log:4' });
    await ensureRun(s, { ...small(DEMO_RUNS.sentiment), recipeConfig: { layers: 1 } });
    await ensureRun(s, small(DEMO_RUNS.mnist));
  } finally {
    s.close();
  }
}, 120_000);

/** Runs the binary; resolves with its output once it exits, or once `until` matches stdout (then SIGINT). */
function glassbox(args: string[], until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string; matched?: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'glassbox.mjs'), ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  let matched: string | undefined;
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  child.stdout.on('data', async (c: Buffer) => {
    stdout += c.toString();
    const m = until && !matched ? until.exec(stdout) : null;
    if (m) {
      matched = m[0];
      const runs = await fetch(new URL('api/runs', matched)).then((r) => r.json() as Promise<{ runs: { id: string }[] }>);
      stdout += `\n[api/runs: ${runs.runs.length} runs]\n`;
      child.kill('SIGINT');
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr, ...(matched ? { matched } : {}) })));
}

describe('glassbox demo', () => {
  it('reuses the runs, explains them across checkpoints, writes the report and serves the dashboard until Ctrl-C', async () => {
    const r = await glassbox(['demo', '--store', store, '--port', '0', '--no-pretrained'], /http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Sentiment Transformer: reusing run .* from /);
    expect(r.stdout).toMatch(/Sentiment Transformer\s+\S+-sentiment-transformer-s1\s+test accuracy \d+\.\d%\s+\(reused\)/);
    expect(r.stdout).toMatch(/\[api\/runs: 2 runs\]/);
    expect(r.stderr).toMatch(/dashboard stopped/);
    const report = readFileSync(join(store, 'demo-report.html'), 'utf8');
    for (const heading of ['Training', 'Why the sentiment model decides', 'What each layer keeps of each word', 'Which pixels decide']) expect(report).toContain(`<h2>${heading}</h2>`);
    // Self-contained: no scripts, nothing fetched from elsewhere (SVG namespaces are not fetches).
    expect(/<script|(src|href)="https?:/.test(report)).toBe(false);
  }, 180_000);

  it('--no-serve --json: the numbers behind the report, and information analyses in the store for the dashboard', async () => {
    const r = await glassbox(['demo', '--store', store, '--no-serve', '--json', '--no-pretrained']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as {
      runs: { id: string; trained: boolean }[];
      sentiment: { runId: string; sentences: { text: string; attributions: { step: number; values: number[]; delta?: number }[]; information: { step: number; layers: { name: string; sigma: number[] }[] }[] }[] };
      digits: { runId: string; digits: { predictions: unknown[] }[]; steps: number[]; information?: { example: number; step: number } };
    };
    expect(result.runs.map((x) => x.trained)).toEqual([false, false]);
    const series = RunStore.open(store);
    try {
      const checkpoints = series.listCheckpoints(result.sentiment.runId).map((c) => c.step);
      for (const sentence of result.sentiment.sentences) {
        // IG at up to six checkpoints spread over the series, first and last included.
        expect(sentence.attributions.map((a) => a.step)).toEqual(checkpoints.length <= 6 ? checkpoints : expect.any(Array));
        expect(sentence.attributions.at(-1)!.step).toBe(checkpoints.at(-1));
        for (const a of sentence.attributions) expect(Math.abs(a.delta!)).toBeLessThan(1e-3);
      }
      const measured = result.sentiment.sentences.flatMap((s) => s.information.map((i) => ({ text: s.text, ...i })));
      expect(measured.length).toBe(2 * Math.min(3, checkpoints.length));
      for (const m of measured) {
        expect(m.layers.map((l) => l.name)).toEqual(['layer1', 'encoded']);
        const stored = series.getAnalysis<{ tokens: string[]; layers: { name: string; sigma: number[] }[] }>(result.sentiment.runId, 'information', { step: m.step, params: { text: m.text } });
        expect(stored?.result.layers[0]!.sigma).toEqual(m.layers[0]!.sigma);
        expect(stored?.result.tokens.length).toBe(m.layers[0]!.sigma.length);
      }
      // The first digit's information per patch, at the first and last checkpoints, drawn by the dashboard over the digit.
      const images = series.listAnalyses(result.digits.runId, { kind: 'information' });
      expect(images.map((a) => a.step)).toEqual([result.digits.steps[0], result.digits.steps.at(-1)]);
      expect(images.at(-1)!.step).toBe(result.digits.steps.at(-1));
      const image = images.at(-1)!.result as { tokens: string[]; layers: { name: string }[]; image: { patch: number; across: number; picture: string } };
      expect(image.image).toMatchObject({ patch: 4, across: 7 });
      expect(image.image.picture).toMatch(/^data:image\/png;base64,/);
      expect(image.tokens).toHaveLength(49);
      expect(image.layers.map((l) => l.name)).toEqual(['layer1', 'layer2', 'layer3']);
      expect(result.digits.information).toEqual({ example: 0, step: result.digits.steps.at(-1) });
    } finally {
      series.close();
    }
    expect(result.digits.digits).toHaveLength(4);
    expect(existsSync(join(store, 'demo-report.html'))).toBe(true);
  }, 180_000);
});
