import type { Command } from 'commander';
import { formatShape } from '../../tensor/shape.js';
import { loadModel } from '../../onnx/io.js';
import { summarizeModel, type ModelSummary, type TensorSummary } from '../../inspect/summary.js';
import type { CliIO } from '../context.js';
import { bytesLabel, columns, thousands, writeJson } from '../output.js';
import { collectDims } from './shared.js';

interface InspectFlags {
  json?: string | boolean;
  probe: boolean;
  dim?: Record<string, number>;
  all?: boolean;
}

export function registerInspect(program: Command, io: CliIO): void {
  program
    .command('inspect')
    .description('describe a model: inputs, outputs, opset, ops, parameters, hookable tensors and gradient coverage')
    .argument('<model>', 'an ONNX model file')
    .option('--json [file]', 'machine-readable summary on stdout, or in a file')
    .option('--no-probe', 'do not run the model to find shapes static inference leaves open')
    .option('--dim <name=size>', 'size of a symbolic input dimension when probing (repeatable)', collectDims)
    .option('--all', 'list every hookable tensor (default: the first 40)')
    .addHelpText('after', `
Hookable tensors are intermediate float values that glassbox can expose, cut the graph at, or
attribute to (--layer in attribute, --layers in information). Shapes use the model's symbolic
dimension names; "?" is a dimension that varies in a way glassbox could not name.

Examples:
  glassbox inspect model.onnx
  glassbox inspect model.onnx --json | jq .ops
  glassbox inspect det.onnx --dim height=640 --dim width=640`)
    .action(async (modelPath: string, flags: InspectFlags) => {
      const summary = await summarizeModel(loadModel(modelPath), { probe: flags.probe, probeOptions: flags.dim ? { dims: flags.dim } : {} });
      if (flags.json !== undefined) writeJson(io, flags.json, { file: modelPath, ...summary });
      else io.stdout(render(modelPath, summary, flags.all ?? false));
    });
}

function render(path: string, s: ModelSummary, all: boolean): string {
  const tensorRows = (list: TensorSummary[]): string[][] => list.map((t) => [t.name, t.dtype, t.shape ? formatShape(t.shape) : '?']);
  const ops = Object.entries(s.ops).sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`);
  const hooks = all ? s.hookable : s.hookable.slice(0, 40);
  const lines = [
    `${path}`,
    `  producer ${s.producer ?? 'unknown'} · IR ${s.irVersion} · opset ${Object.entries(s.opsets).map(([d, v]) => (d === 'ai.onnx' ? String(v) : `${d} ${v}`)).join(', ')}`,
    `  parameters ${thousands(s.parameters.count)} in ${s.parameters.tensors} tensors (${bytesLabel(s.parameters.bytes)})`,
    '',
    'inputs',
    columns(tensorRows(s.inputs)),
    'outputs',
    columns(tensorRows(s.outputs)),
    '',
    `ops (${s.nodes} nodes)`,
    wrap(ops.join(', '), 96, '  '),
    '',
    `hookable tensors (${s.hookable.length}${hooks.length < s.hookable.length ? `, first ${hooks.length}; --all for every one` : ''})`,
    columns(hooks.map((h) => [h.name, h.op, h.dtype, h.shape ? formatShape(h.shape) : '?'])),
    '',
    s.gradients.missing.length === 0
      ? 'gradients: every op has a gradient rule'
      : `gradients: no rule yet for ${s.gradients.missing.join(', ')}`,
  ];
  if (s.shapes.known < s.shapes.total) lines.push(`shapes: ${s.shapes.known} of ${s.shapes.total} intermediate shapes fully known${s.shapes.probed ? ' (after probing)' : ''}`);
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line) {
      out.push(indent + line.trimEnd());
      line = '';
    }
    line += `${word} `;
  }
  if (line) out.push(indent + line.trimEnd());
  return out.join('\n');
}
