import { existsSync, readFileSync, statSync } from 'node:fs';
import { GlassboxError } from '../util/errors.js';
import { castTensor } from '../tensor/cast.js';
import { dtypeFromOnnx } from '../tensor/dtype.js';
import { parseTensorText } from '../tensor/json.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ValueInfo } from '../onnx/ir/value.js';

export interface TensorArg {
  /** Input name, when given as name=... */
  name?: string;
  /** A file path, or inline JSON when it starts with [ or {. */
  source: string;
}

/** Parses `[name=]file.json` (or `[name=]<inline JSON>`). */
export function parseTensorArg(spec: string): TensorArg {
  const trimmed = spec.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{') || existsSync(spec)) return { source: spec };
  const eq = spec.indexOf('=');
  if (eq > 0) return { name: spec.slice(0, eq), source: spec.slice(eq + 1) };
  return { source: spec };
}

/** Reads a tensor file (or inline JSON) with messages naming the file. */
export function readTensorArg(source: string): ReturnType<typeof parseTensorText> {
  const inline = source.trim().startsWith('[') || source.trim().startsWith('{');
  if (inline) return parseTensorText(source, 'inline tensor');
  if (!existsSync(source)) throw new GlassboxError('not-found', `${source}: no such file`);
  if (statSync(source).isDirectory()) throw new GlassboxError('bad-tensor', `${source}: is a directory, not a tensor file`);
  const text = readFileSync(source, 'utf8');
  if (text.trim() === '') throw new GlassboxError('bad-tensor', `${source}: the file is empty`);
  return parseTensorText(text, source);
}

/**
 * Matches `--input` arguments to the model's inputs: a name is needed unless the model has a
 * single input, or the arguments come in the inputs' order. A bare nested array takes the
 * input's element type (values are checked, not rounded).
 */
export function feedsFromArgs(specs: readonly string[], inputs: readonly ValueInfo[]): Record<string, Tensor> {
  const args = specs.map(parseTensorArg);
  const names = inputs.map((i) => i.name);
  const unnamed = args.filter((a) => a.name === undefined);
  if (unnamed.length > 0 && args.length !== inputs.length) {
    const list = names.map((n) => `"${n}"`).join(', ');
    throw new GlassboxError('bad-input', `the model has ${inputs.length} input${inputs.length === 1 ? '' : 's'} (${list}) but ${args.length} --input ${args.length === 1 ? 'was' : 'were'} given; name them as --input name=file.json`);
  }
  const feeds: Record<string, Tensor> = {};
  args.forEach((arg, i) => {
    const name = arg.name ?? names[i]!;
    const info = inputs.find((v) => v.name === name);
    if (!info) throw new GlassboxError('bad-input', `the model has no input "${name}" (its inputs: ${names.map((n) => `"${n}"`).join(', ')})`);
    if (feeds[name]) throw new GlassboxError('bad-input', `input "${name}" is given twice`);
    const parsed = readTensorArg(arg.source);
    const want = info.elemType === undefined ? undefined : dtypeFromOnnx(info.elemType);
    feeds[name] = !parsed.dtypeGiven && want ? castTensor(parsed.tensor, want, `input "${name}"`) : parsed.tensor;
  });
  return feeds;
}
