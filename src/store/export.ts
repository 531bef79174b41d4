import { statSync } from 'node:fs';
import { GlassboxError } from '../util/errors.js';
import { saveModel } from '../onnx/io.js';
import type { RunStore } from './store.js';

export interface ExportResult {
  run: string;
  step: number;
  path: string;
  bytes: number;
}

/**
 * Writes a checkpoint as a standalone ONNX model: the run's graph carrying the checkpoint's
 * weights. The file is written atomically (a crash never leaves half a model at `path`).
 */
export function exportCheckpoint(store: RunStore, runId: string, step: number | 'latest', path: string): ExportResult {
  const checkpoint = store.getCheckpoint(runId, step);
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch { /* a new file */ }
  if (isDirectory) throw new GlassboxError('bad-input', `${path} is a directory; give the path of the .onnx file to write`);
  saveModel(store.checkpointModel(runId, checkpoint.step), path);
  return { run: runId, step: checkpoint.step, path, bytes: statSync(path).size };
}

/** Parses `<run>:<step>` or `<run>:latest` (a bare `<run>` means its latest checkpoint). */
export function parseCheckpointRef(text: string): { run: string; step: number | 'latest' } {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { run: text, step: 'latest' };
  const run = text.slice(0, colon);
  const step = text.slice(colon + 1);
  if (!run) throw new GlassboxError('bad-input', `"${text}" names no run: use <run>:<step> or <run>:latest`);
  if (step === 'latest' || step === '') return { run, step: 'latest' };
  if (!/^\d+$/.test(step) || !Number.isSafeInteger(Number(step))) {
    throw new GlassboxError('bad-input', `"${text}": the checkpoint must be a step number or "latest", got "${step}"`);
  }
  return { run, step: Number(step) };
}
