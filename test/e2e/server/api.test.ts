import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysesResponse, AttributeResponse, ExamplesResponse, LayersResponse, MethodsResponse, RunDetail, RunsResponse } from '../../../src/server/api-types.js';
import { startServer, type RunningServer } from '../../../src/server/index.js';
import { loadDataset } from '../../../src/data/index.js';
import { cli } from '../../helpers/cli.js';
import { INFO_IMAGE, INFO_TEXT, makeStore, type StoreFixture } from './fixture.js';
import { getJson, postJson } from './http.js';

/** The dashboard's JSON API against a store trained in the test: what each route answers, and its 4xx. */
let fx: StoreFixture;
let server: RunningServer;
const logged: string[] = [];
let digit: string;

beforeAll(async () => {
  fx = await makeStore('small');
  server = await startServer({ store: fx.dir, port: 0, log: (line) => logged.push(line) });
  digit = (await mnistPng(0)).toString('base64');
});

afterAll(async () => {
  await server?.close();
});

const attributePath = (run: string, step: number | string): string => `/api/runs/${run}/checkpoints/${step}/attribute`;

/** An MNIST test digit as a PNG file, as a user would upload it. */
async function mnistPng(index: number): Promise<Buffer> {
  const x = loadDataset('mnist').test.inputs([index]);
  const pixels = Buffer.from(Array.from(x.data as Float32Array, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  return sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
}

describe('reading the store', () => {
  it('GET /api/runs lists the runs with recipe, dataset, status, best accuracy and checkpoints', async () => {
    const { status, body } = await getJson<RunsResponse>(server.url, '/api/runs');
    expect(status).toBe(200);
    expect(body.runs.map((r) => r.dataset).sort()).toEqual(['mnist', 'sentiment']);
    const text = body.runs.find((r) => r.id === fx.text.id)!;
    expect(text).toMatchObject({ recipe: 'transformer', status: 'completed', checkpoints: fx.textSteps.length });
    expect(text.bestTestAccuracy).toBeGreaterThan(0);
    expect(text).not.toHaveProperty('config');
  });

  it('GET /api/runs/:id gives config, checkpoints with metrics, the metric series and what the model reads', async () => {
    const { status, body } = await getJson<RunDetail>(server.url, `/api/runs/${fx.text.id}`);
    expect(status).toBe(200);
    expect(body.run.config).toMatchObject({ recipe: 'transformer', dataset: 'sentiment', epochs: 3 });
    expect(body.checkpoints.map((c) => c.step)).toEqual(fx.textSteps);
    expect(body.checkpoints[0]!.metrics?.testLoss).toBeGreaterThan(0);
    // No absolute paths or checksums leave the server.
    expect(JSON.stringify(body.checkpoints)).not.toMatch(/safetensors|sha256/);
    expect(body.metrics.some((m) => m.trainLoss !== undefined)).toBe(true);
    expect(body.metrics.some((m) => m.testAccuracy !== undefined)).toBe(true);
    expect(body.input).toEqual({ kind: 'tokens', shape: [48], classes: ['negative', 'positive'], testExamples: 600 });
    const image = await getJson<RunDetail>(server.url, `/api/runs/${fx.image.id}`);
    expect(image.body.input).toMatchObject({ kind: 'image', shape: [1, 28, 28], testExamples: 10000 });
  });

  it('GET /api/runs/:id/analyses filters by kind and step', async () => {
    const step = fx.textSteps[1]!;
    const one = await getJson<AnalysesResponse>(server.url, `/api/runs/${fx.text.id}/analyses?kind=information&step=${step}`);
    expect(one.status).toBe(200);
    expect(one.body.analyses).toHaveLength(1);
    expect(one.body.analyses[0]).toMatchObject({ kind: 'information', step, params: { text: INFO_TEXT } });
    const all = await getJson<AnalysesResponse>(server.url, `/api/runs/${fx.text.id}/analyses`);
    expect(all.body.analyses).toHaveLength(fx.textSteps.length);
    const none = await getJson<AnalysesResponse>(server.url, `/api/runs/${fx.image.id}/analyses?kind=information&step=${fx.imageSteps[0]}`);
    expect(none.body.analyses).toEqual([]);
    const image = await getJson<AnalysesResponse>(server.url, `/api/runs/${fx.image.id}/analyses?kind=information`);
    expect(image.body.analyses).toHaveLength(1);
    expect(image.body.analyses[0]).toMatchObject({ step: fx.imageSteps.at(-1), params: { input: INFO_IMAGE }, result: { image: { patch: 7, across: 4 } } });
  });

  it('GET /api/methods names every method and what it needs', async () => {
    const { body } = await getJson<MethodsResponse>(server.url, '/api/methods');
    const byName = new Map(body.methods.map((m) => [m.name, m]));
    expect(byName.get('integrated-gradients')).toMatchObject({ title: 'Integrated Gradients', family: 'gradient', needsLayer: false });
    expect(byName.get('layer-grad-cam')?.needsLayer).toBe(true);
    expect(byName.get('neuron-gradient')?.needsNeuron).toBe(true);
  });

  it('GET /api/runs/:id/examples and /layers', async () => {
    const ex = await getJson<ExamplesResponse>(server.url, `/api/runs/${fx.text.id}/examples?offset=2&limit=3`);
    expect(ex.body.size).toBe(600);
    expect(ex.body.examples.map((e) => e.index)).toEqual([2, 3, 4]);
    expect(ex.body.examples[0]!.text!.length).toBeGreaterThan(0);
    expect(['negative', 'positive']).toContain(ex.body.examples[0]!.labelName);
    const layers = await getJson<LayersResponse>(server.url, `/api/runs/${fx.image.id}/layers`);
    expect(layers.body.layers.some((l) => l.op === 'Relu')).toBe(true);
  });
});

describe('POST /api/runs/:id/checkpoints/:step/attribute', () => {
  it('explains a sentence with several methods: per-token values, as `glassbox attribute --json` gives them', async () => {
    const step = fx.textSteps.at(-1)!;
    const { status, body } = await postJson<AttributeResponse>(server.url, attributePath(fx.text.id, step), { methods: ['integrated-gradients', 'saliency'], text: 'a wonderful film' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ run: fx.text.id, step, classes: ['negative', 'positive'] });
    expect(body.results.map((r) => r.method)).toEqual(['integrated-gradients', 'saliency']);
    const ig = body.results[0]!;
    expect(ig.tokens!.map((t) => t.token)).toEqual(['a', 'wonderful', 'film']);
    expect(Math.abs(ig.delta![0]!)).toBeLessThan(1e-3);
    const fromCli = JSON.parse((await cli('attribute', `${fx.text.id}:${step}`, '-m', 'integrated-gradients', '--text', 'a wonderful film', '--store', fx.dir, '--json')).stdout) as { tokens: { value: number }[] };
    ig.tokens!.forEach((t, i) => expect(t.value).toBeCloseTo(fromCli.tokens[i]!.value, 6));
    expect(ig.unknownWords).toBeUndefined();
  });

  it('names the words of a sentence that the model reads as its unknown token', async () => {
    const { status, body } = await postJson<AttributeResponse>(server.url, attributePath(fx.text.id, 0), { methods: ['saliency'], text: 'a zorblaxian film' });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.results[0]!.unknownWords).toEqual(['zorblaxian']);
  });

  it('gives other values at another checkpoint (what the slider shows)', async () => {
    const request = { methods: ['integrated-gradients'], text: 'a wonderful film' };
    const first = await postJson<AttributeResponse>(server.url, attributePath(fx.text.id, fx.textSteps[0]!), request);
    const last = await postJson<AttributeResponse>(server.url, attributePath(fx.text.id, fx.textSteps.at(-1)!), request);
    expect(first.body.step).toBe(fx.textSteps[0]);
    expect(first.body.results[0]!.tokens![1]!.value).not.toBeCloseTo(last.body.results[0]!.tokens![1]!.value, 6);
    // Asked again, the answer comes from the cache, the same.
    const again = await postJson<AttributeResponse>(server.url, attributePath(fx.text.id, fx.textSteps[0]!), request);
    expect(again.body).toEqual(first.body);
  });

  it('explains a test example', async () => {
    const { status, body } = await postJson<AttributeResponse>(server.url, attributePath(fx.text.id, fx.textSteps.at(-1)!), { methods: ['saliency'], example: 3, target: 'positive' });
    expect(status).toBe(200);
    expect(body.results[0]!.input).toMatch(/^test example 3 of sentiment/);
    expect(body.results[0]!.target).toBe(1);
    expect(body.results[0]!.label).toBeTypeOf('number');
  });

  it('explains an uploaded image: JSON per method and the panels as a PNG data URL', async () => {
    const step = fx.imageSteps.at(-1)!;
    const { status, body } = await postJson<AttributeResponse>(server.url, attributePath(fx.image.id, step), {
      methods: ['integrated-gradients', 'occlusion'], image: `data:image/png;base64,${digit}`, window: [1, 4, 4], strides: [2], steps: 16,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.results.map((r) => r.attribution.shape)).toEqual([[1, 1, 28, 28], [1, 1, 28, 28]]);
    expect(body.results[0]!.input).toBe('the uploaded image');
    expect(body.classes).toHaveLength(10);
    const png = Buffer.from(body.png!.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const meta = await sharp(png).metadata();
    expect(meta.width).toBeGreaterThan(3 * 28);
    // A plain base64 string (no data URL) is accepted too.
    const plain = await postJson<AttributeResponse>(server.url, attributePath(fx.image.id, step), { methods: ['saliency'], image: digit });
    expect(plain.status).toBe(200);
  });

  it('runs layer methods on a layer the /layers route lists', async () => {
    const { body: { layers } } = await getJson<LayersResponse>(server.url, `/api/runs/${fx.image.id}/layers`);
    const conv = layers.find((l) => l.op === 'Relu' && l.shape?.length === 4)!;
    const { status, body } = await postJson<AttributeResponse>(server.url, attributePath(fx.image.id, fx.imageSteps.at(-1)!), { methods: ['layer-grad-cam', 'layer-integrated-gradients'], layer: conv.name, example: 0, steps: 8 });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.results.map((r) => r.attributedTo)).toEqual([conv.name, conv.name]);
    expect(body.results[0]!.params).toMatchObject({ layer: conv.name });
    expect(body.png ?? body.note).toBeDefined();
  });
});

describe('bad requests get 4xx and a one-line message', () => {
  const text = (): string => attributePath(fx.text.id, fx.textSteps.at(-1)!);
  const cases: [string, () => string, unknown, number, RegExp][] = [
    ['no methods', text, { text: 'good' }, 400, /body needs the field "methods"/],
    ['empty methods', text, { methods: [], text: 'good' }, 400, /body\.methods must NOT have fewer than 1 items/],
    ['unknown method', text, { methods: ['integrated-gradient'], text: 'good' }, 400, /body\.methods\.0 must be one of: saliency/],
    ['unknown field', text, { methods: ['saliency'], txt: 'good' }, 400, /unknown field "txt"/],
    ['a string for a number', text, { methods: ['saliency'], text: 'good', steps: '50' }, 400, /body\.steps must be integer/],
    ['too many steps', text, { methods: ['saliency'], text: 'good', steps: 100000 }, 400, /body\.steps must be <= 500/],
    ['no input', text, { methods: ['saliency'] }, 400, /give an input: text, example or image/],
    ['two inputs', text, { methods: ['saliency'], text: 'good', example: 1 }, 400, /give one input, not text and example/],
    ['not base64', () => attributePath(fx.image.id, 0), { methods: ['saliency'], image: '<svg>' }, 400, /body\.image must match pattern/],
    ['a text for an image model', () => attributePath(fx.image.id, 0), { methods: ['saliency'], text: 'good' }, 422, /reads images, not text/],
    ['an image for a text model', text, { methods: ['saliency'], image: 'aGVsbG8=' }, 422, /reads text, not images/],
    ['example out of range', text, { methods: ['saliency'], example: 600 }, 422, /example 600 is out of range: .* 600 examples \(0\.\.599\)/],
    ['a layer method without its layer', text, { methods: ['layer-grad-cam'], text: 'good' }, 422, /layer-grad-cam needs a layer/],
    ['a layer that is not there', text, { methods: ['layer-activation'], layer: 'nope', text: 'good' }, 422, /nope/],
    ['not an image', () => attributePath(fx.image.id, 0), { methods: ['saliency'], image: 'aGVsbG8=' }, 422, /.+/],
    ['unknown run', () => attributePath('no-such-run', 0), { methods: ['saliency'], text: 'good' }, 404, /no run "no-such-run"/],
    ['unknown step', () => attributePath(fx.text.id, 3), { methods: ['saliency'], text: 'good' }, 404, /has no checkpoint at step 3/],
    ['a step that is not a number', () => attributePath(fx.text.id, 'latest'), { methods: ['saliency'], text: 'good' }, 400, /params\.step must match pattern/],
  ];
  it.each(cases)('%s', async (_name, path, body, status, message) => {
    const response = await postJson<{ error: string }>(server.url, path(), body);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatch(message);
    expect(response.body.error).not.toMatch(/\n/);
  });

  it('invalid JSON, an image over 2 MiB, unknown runs and routes', async () => {
    const bad = await fetch(new URL(text(), server.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"methods": [' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'the body is not valid JSON' });
    const big = await postJson<{ error: string }>(server.url, attributePath(fx.image.id, 0), { methods: ['saliency'], image: Buffer.alloc(2 * 2 ** 20 + 3).toString('base64') });
    expect(big).toEqual({ status: 413, body: { error: 'the image is 2.0 MiB; the limit is 2 MiB' } });
    expect((await getJson(server.url, '/api/runs/no-such-run')).status).toBe(404);
    expect((await getJson(server.url, '/api/runs/no-such-run/analyses')).status).toBe(404);
    expect((await getJson(server.url, '/api/nothing')).body).toEqual({ error: 'not found' });
    expect((await getJson(server.url, `/api/runs/${fx.text.id}/analyses?step=x`)).status).toBe(400);
    expect((await getJson(server.url, `/api/runs/${fx.text.id}/analyses?color=red`)).body).toEqual({ error: 'querystring has an unknown field "color"' });
    expect((await getJson(server.url, '/api/runs/bad%20id')).status).toBe(400);
    expect(logged).toEqual([]);
  });
});
