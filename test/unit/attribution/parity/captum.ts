/**
 * Loading the Captum-definition fixtures (test/fixtures/attribution, written by
 * scripts/fixtures/export_attributions.py) and comparing glassbox's attributions with them.
 *
 * Each `<model>.json` holds the attributed input, the targets, the ONNX names of the layers the
 * layer/neuron methods use, and a list of cases: { id, method, layer?, inner?, options,
 * expected: { attributions, delta? } }. Tensors in options and expected values are
 * {shape, dtype, data}; expected values are float64 references (float64 model, float32 weights
 * and inputs). Random draws (noise, baseline indices, α, permutations, binary samples) are in
 * the options, so methods that accept injected randomness reproduce them exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Explainable } from '../../../../src/attribution/explainable.js';
import type { AttributionResult } from '../../../../src/attribution/types.js';
import { loadModel } from '../../../../src/onnx/io.js';
import { parseTensorValue } from '../../../../src/tensor/json.js';
import { Tensor } from '../../../../src/tensor/tensor.js';
import type { Feeds } from '../../../../src/runtime/feeds.js';
import { relError } from '../../../helpers/compare.js';
import { ROOT } from '../../../helpers/fixtures.js';

export const DIR = join(ROOT, 'test', 'fixtures', 'attribution');
export const MODELS = ['mlp', 'cnn', 'transformer'] as const;
export type ModelName = (typeof MODELS)[number];

type Json = Record<string, unknown>;

export interface Case {
  id: string;
  method: string;
  inner?: string;
  layer?: string;
  /** 'rawInputs': attribute from the token ids rather than the embeddings. */
  inputFrom?: string;
  /** Constructor options (DeepLift's rescaleOps). */
  config?: Json;
  options: Json;
  expected: { attributions: Tensor; delta?: number[] };
}

export interface Fixture {
  name: ModelName;
  explainable: Explainable;
  input: Tensor;
  target: number[];
  /** Layer names in the fixture → ONNX tensor names. */
  layers: Record<string, string>;
  rawInputs: Feeds;
  extra: Feeds;
  logits: Tensor;
  cases: Case[];
}

const isTensorJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && 'dtype' in v;

export function tensor(v: unknown, what = 'fixture'): Tensor {
  return parseTensorValue(v, what).tensor;
}

function feeds(raw: unknown): Feeds {
  return Object.fromEntries(Object.entries((raw ?? {}) as Json).map(([k, v]) => [k, tensor(v, k)]));
}

const cache = new Map<ModelName, Promise<Fixture>>();

/** The fixture of one model with its Explainable (cut at the embeddings for the Transformer). */
export function fixture(name: ModelName): Promise<Fixture> {
  let f = cache.get(name);
  if (!f) {
    f = (async () => {
      const doc = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Json;
      const input = doc.input as { name: string; tensor: unknown };
      const explainable = await Explainable.create(loadModel(join(DIR, doc.model as string)), name === 'transformer' ? { input: input.name } : {});
      const cases = (doc.cases as Json[]).map((c) => {
        const expected = c.expected as Json;
        return {
          ...(c as unknown as Case),
          expected: { attributions: tensor(expected.attributions, `${c.id as string}`), ...(expected.delta ? { delta: expected.delta as number[] } : {}) },
        };
      });
      return {
        name,
        explainable,
        input: tensor(input.tensor, 'input'),
        target: doc.target as number[],
        layers: doc.layers as Record<string, string>,
        rawInputs: feeds(doc.rawInputs),
        extra: feeds(doc.additionalForwardArgs),
        logits: tensor(doc.logits, 'logits'),
        cases,
      };
    })();
    cache.set(name, f);
  }
  return f;
}

/** Cases of the given methods. */
export function casesOf(f: Fixture, methods: readonly string[]): Case[] {
  return f.cases.filter((c) => methods.includes(c.method));
}

/**
 * The case's options as glassbox takes them: tensors parsed, the target and the extra feeds
 * added, and the stored draws put where each method takes given randomness.
 */
export function optionsFor(f: Fixture, c: Case): Record<string, unknown> {
  const out: Record<string, unknown> = { target: f.target };
  if (Object.keys(f.extra).length) out.additionalForwardArgs = f.extra;
  for (const [k, v] of Object.entries(c.options)) {
    if (k === 'draws') continue;
    if (isTensorJson(v)) out[k] = tensor(v, k);
    else if (Array.isArray(v) && v.length && isTensorJson(v[0])) out[k] = v.map((t, i) => tensor(t, `${k}[${i}]`));
    else out[k] = v;
  }
  const draws = c.options.draws as Json | undefined;
  if (draws) Object.assign(out, drawsFor(f, c, draws));
  return out;
}

function drawsFor(f: Fixture, c: Case, draws: Json): Record<string, unknown> {
  switch (c.method) {
    case 'GradientShap': {
      // Stored per [row][sample]; glassbox takes them flat at row·nSamples + sample (Captum's order).
      const idx = draws.baselineIndices as number[][];
      const alphas = draws.alphas as number[][];
      const noise = (draws.noise as unknown[]).map((t) => tensor(t, 'noise'));
      const rows = idx.length;
      const n = idx[0]!.length;
      const per = f.input.size / rows;
      const flat = new Float32Array(rows * n * per);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < n; k++) flat.set((noise[k]!.data as Float32Array).subarray(r * per, (r + 1) * per), (r * n + k) * per);
      }
      return { draws: { baselineIndex: idx.flat(), alpha: alphas.flat(), noise: Tensor.float32([rows * n, ...f.input.shape.slice(1)], flat) } };
    }
    case 'ShapleyValueSampling':
      return { permutations: draws.permutations };
    case 'Lime':
    case 'KernelShap': {
      const samples = draws.samples as number[][][];
      return { samples: Tensor.float32([samples.length, samples[0]!.length, samples[0]![0]!.length], samples.flat(2)) };
    }
    default:
      throw new Error(`no draws mapping for ${c.method}`);
  }
}

/** The tensor the case attributes: the fixture input, or the raw token ids. */
export function inputFor(f: Fixture, c: Case): Tensor {
  return c.inputFrom === 'rawInputs' ? Object.values(f.rawInputs)[0]! : f.input;
}

export interface Tolerance {
  /** max |ours − ref| / max |ref| over the attributions. */
  attr: number;
  /** max |δ_ours − δ_ref| / max(1, max |logit|): deltas are small differences of outputs. */
  delta?: number;
}

/** Measured errors, collected for a summary (printed by each test file at its end). */
export const measured: { file: string; id: string; attr: number; delta?: number }[] = [];

/** Compares a result with the case's expected values; returns the errors measured. */
export function compare(f: Fixture, c: Case, result: AttributionResult, tol: Tolerance, file: string): void {
  const want = c.expected.attributions;
  expect(result.attributions.shape, `${f.name} ${c.id}: shape`).toEqual(want.shape);
  const attr = relError(result.attributions, want);
  let delta: number | undefined;
  if (c.expected.delta) {
    expect(result.delta, `${f.name} ${c.id}: delta missing`).toBeDefined();
    expect(result.delta!.length, `${f.name} ${c.id}: delta length`).toBe(c.expected.delta.length);
    const scale = Math.max(1, ...f.logits.toNumbers().map(Math.abs));
    delta = Math.max(...c.expected.delta.map((d, i) => Math.abs(result.delta![i]! - d))) / scale;
  }
  measured.push({ file, id: `${f.name} ${c.id}`, attr, ...(delta !== undefined ? { delta } : {}) });
  expect(attr, `${f.name} ${c.id}: attribution rel. error`).toBeLessThanOrEqual(tol.attr);
  if (delta !== undefined) expect(delta, `${f.name} ${c.id}: delta error`).toBeLessThanOrEqual(tol.delta ?? tol.attr);
}

export function summary(file: string): string {
  return measured.filter((m) => m.file === file)
    .map((m) => `${m.id.padEnd(56)} attr ${m.attr.toExponential(1)}${m.delta !== undefined ? `  delta ${m.delta.toExponential(1)}` : ''}`)
    .join('\n');
}
