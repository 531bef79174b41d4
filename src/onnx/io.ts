import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { GlassboxError } from '../util/errors.js';
import { decodeModelProto, encodeModelProto } from './proto/codec.js';
import type { TensorProto } from './proto/types.js';
import { modelFromProto, modelToProto } from './ir/convert.js';
import type { Graph } from './ir/graph.js';
import type { Model } from './ir/model.js';
import { bytesPerElement } from '../tensor/dtype.js';
import { protoDType, protoSize } from './ir/tensor-proto.js';
import { validateModel } from './validate.js';

export interface LoadOptions {
  /** Skip the structural checks of validateModel (for tools that inspect broken files). */
  validate?: boolean;
}

/** Reads a file with errors a user can act on (missing, a directory, unreadable). */
export function readModelFile(path: string): Uint8Array {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new GlassboxError('not-found', `${path}: no such file`);
  }
  if (stat.isDirectory()) throw new GlassboxError('bad-model', `${path}: is a directory, not an ONNX file`);
  if (!stat.isFile()) throw new GlassboxError('bad-model', `${path}: not a regular file`);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new GlassboxError('not-found', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Loads an ONNX file: decodes it, reads external data from beside it, and validates it. */
export function loadModel(path: string, options: LoadOptions = {}): Model {
  return decodeModel(readModelFile(path), { source: path, baseDir: dirname(resolve(path)), ...options });
}

/**
 * Decodes model bytes. External-data tensors are read (from `baseDir`) and kept inline, so the
 * Model is self-contained from here on.
 */
export function decodeModel(bytes: Uint8Array, options: LoadOptions & { source?: string; baseDir?: string } = {}): Model {
  const source = options.source ?? 'model';
  const model = modelFromProto(decodeModelProto(bytes, source));
  if (options.baseDir) model.baseDir = options.baseDir;
  inlineExternalData(model, source);
  if (options.validate !== false) validateModel(model, source);
  return model;
}

export function encodeModel(model: Model): Uint8Array {
  return encodeModelProto(modelToProto(model));
}

/**
 * Writes a model so that a crash mid-write never leaves a half-written file under `path`:
 * the bytes go to a temporary file beside it, which is then renamed over the target.
 */
export function saveModel(model: Model, path: string): void {
  writeFileAtomic(path, encodeModel(model));
}

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (error) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw new GlassboxError('io', `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function inlineExternalData(model: Model, source: string): void {
  const files = new Map<string, number>();
  try {
    forEachTensor(model.graph, (tensor, replace) => {
      if (tensor.data_location !== 1) return;
      replace(readExternal(tensor, model.baseDir, source, files));
    });
  } finally {
    for (const fd of files.values()) closeSync(fd);
  }
}

function readExternal(tensor: TensorProto, baseDir: string | undefined, source: string, files: Map<string, number>): TensorProto {
  const name = tensor.name ?? '';
  const entries = new Map(tensor.external_data.map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (!location) throw new GlassboxError('bad-model', `${source}: tensor "${name}" is marked external but names no file`);
  if (!baseDir) throw new GlassboxError('bad-model', `${source}: tensor "${name}" keeps its data in "${location}"; load the model from a file path so that file can be found`);
  const path = normalize(join(baseDir, location));
  if (isAbsolute(location) || relative(baseDir, path).startsWith('..')) {
    throw new GlassboxError('bad-model', `${source}: tensor "${name}" points outside the model's directory ("${location}")`);
  }
  let fd = files.get(path);
  if (fd === undefined) {
    try {
      fd = openSync(path, 'r');
    } catch {
      throw new GlassboxError('bad-model', `${source}: missing external data file "${location}" for tensor "${name}" (looked in ${baseDir})`);
    }
    files.set(path, fd);
  }
  const fileSize = fstatSync(fd).size;
  const offset = Number(entries.get('offset') ?? 0);
  const expected = protoSize(tensor) * bytesPerElement(protoDType(tensor));
  const length = entries.has('length') ? Number(entries.get('length')) : expected;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > fileSize) {
    throw new GlassboxError('bad-model', `${source}: external data for tensor "${name}" (offset ${entries.get('offset') ?? 0}, length ${length}) lies outside "${location}" (${fileSize} bytes)`);
  }
  if (length !== expected) {
    throw new GlassboxError('bad-model', `${source}: external data for tensor "${name}" is ${length} bytes, but its type and shape need ${expected}`);
  }
  const bytes = new Uint8Array(length);
  readSync(fd, bytes, 0, length, offset);
  const { external_data: _ignored, data_location: _location, ...rest } = tensor;
  return { ...rest, external_data: [], raw_data: bytes };
}

/** Visits every TensorProto of a graph (initializers, Constant values, subgraphs) with a way to replace it. */
export function forEachTensor(graph: Graph, visit: (tensor: TensorProto, replace: (t: TensorProto) => void) => void): void {
  for (const [name, tensor] of graph.initializers) visit(tensor, (t) => graph.initializers.set(name, t));
  for (const node of graph.nodes) {
    for (const [key, attr] of node.attributes) {
      if (attr.type === 'tensor') visit(attr.value, (t) => node.attributes.set(key, { ...attr, value: t }));
      else if (attr.type === 'tensors') attr.value.forEach((t, i) => visit(t, (u) => { attr.value[i] = u; }));
      else if (attr.type === 'graph') forEachTensor(attr.value, visit);
      else if (attr.type === 'graphs') attr.value.forEach((g) => forEachTensor(g, visit));
    }
  }
}
