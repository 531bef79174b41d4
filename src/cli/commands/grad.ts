import type { Command } from 'commander';
import { GlassboxError } from '../../util/errors.js';
import { tensorToJson } from '../../tensor/json.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cloneModel } from '../../onnx/edit/clone.js';
import { exposeOutputs } from '../../onnx/edit/expose.js';
import { loadModel } from '../../onnx/io.js';
import { Session } from '../../runtime/session.js';
import { GradientSession } from '../../engine/gradient-session.js';
import { prepareModel } from '../../engine/prepare.js';
import { onesSeed, targetSeed } from '../../engine/seeds.js';
import type { CliIO } from '../context.js';
import { formatTensor, tensorHeader } from '../format-tensor.js';
import { writeJson } from '../output.js';
import { feedsFromArgs, readTensorArg } from '../../runtime/feed-files.js';
import { collectDims, integerOption, runtimeFlags, type RuntimeFlags } from './shared.js';

interface GradFlags extends RuntimeFlags {
  input: string[];
  of?: string;
  target?: number;
  seed?: string;
  wrt?: string[];
  json?: string | boolean;
  dim?: Record<string, number>;
}

export function registerGrad(program: Command, io: CliIO): void {
  const cmd = program
    .command('grad')
    .description('gradients of a model output with respect to inputs, weights or intermediate tensors')
    .argument('<model>', 'an ONNX model file')
    .requiredOption('-i, --input <spec...>', 'an input as [name=]file.json (or inline JSON); repeat for several inputs')
    .option('--of <output>', 'the output to differentiate (default: the first graph output)')
    .option('-t, --target <k>', 'differentiate class k of the output (its last axis), summed over rows', integerOption('--target', 0))
    .option('--seed <file>', 'a tensor shaped like the output: computes the vector-Jacobian product with it')
    .option('--wrt <name...>', 'inputs, weights or intermediate tensors (default: every float input)')
    .option('--json [file]', 'write {gradients, outputs} as tensors to stdout, or to a file')
    .option('--dim <name=size>', 'size of a symbolic dim when shapes must be probed (repeatable)', collectDims);
  runtimeFlags(cmd);
  cmd.addHelpText('after', `
Without --target or --seed, an output with one value per row (a loss, a score) is summed.

Examples:
  glassbox grad cnn.onnx --input image.json --target 3
  glassbox grad cnn.onnx --input image.json --target 3 --wrt conv1.weight --json grads.json
  glassbox grad lm.onnx --input ids.json --of logits --seed v.json --wrt /embed/Gather_output_0`);
  cmd.action(async (modelPath: string, flags: GradFlags) => {
    if (flags.target !== undefined && flags.seed) throw new GlassboxError('bad-option', 'give --target or --seed, not both');
    const runtime = { threads: flags.threads, deterministic: flags.deterministic };
    const { model } = await prepareModel(loadModel(modelPath), { probeOptions: flags.dim ? { dims: flags.dim } : {} });
    const feeds = feedsFromArgs(flags.input, model.graph.feedInputs);
    const of = flags.of ?? model.graph.outputs[0]!.name;
    const wrt = flags.wrt ?? model.graph.feedInputs.filter((i) => i.elemType === 1 || i.elemType === 11).map((i) => i.name);
    if (wrt.length === 0) throw new GlassboxError('bad-gradient', 'the model has no float inputs; name what to differentiate with --wrt (a weight, or an intermediate tensor such as an embedding output)');
    const output = await forwardValue(model, of, feeds, runtime);
    const seed = flags.seed
      ? readTensorArg(flags.seed).tensor
      : flags.target !== undefined
        ? targetSeed(output.shape, output.dtype, flags.target, of)
        : defaultSeed(output, of);
    const session = await GradientSession.create(model, { of: [of], wrt }, runtime);
    try {
      const result = await session.run(feeds, { [of]: seed });
      if (flags.json !== undefined) {
        writeJson(io, flags.json, {
          of, target: flags.target ?? null, wrt,
          gradients: Object.fromEntries(Object.entries(result.gradients).map(([k, t]) => [k, tensorToJson(t)])),
          outputs: Object.fromEntries(Object.entries(result.outputs).map(([k, t]) => [k, tensorToJson(t)])),
        });
        return;
      }
      io.stdout(`${tensorHeader(of, result.outputs[of]!)}\n${indent(formatTensor(result.outputs[of]!))}\n`);
      for (const [name, grad] of Object.entries(result.gradients)) {
        io.stdout(`d ${of}${flags.target !== undefined ? `[${flags.target}]` : ''} / d ${tensorHeader(name, grad)}\n${indent(formatTensor(grad))}\n`);
      }
    } finally {
      await session.release();
    }
  });
}

async function forwardValue(model: Parameters<typeof exposeOutputs>[0], name: string, feeds: Record<string, Tensor>, runtime: { threads?: number; deterministic?: boolean }): Promise<Tensor> {
  const isOutput = model.graph.outputs.some((o) => o.name === name);
  const session = await Session.create(isOutput ? model : exposeOutputs(cloneModel(model), [name]), runtime);
  try {
    return (await session.run(feeds, { outputs: [name] }))[name]!;
  } finally {
    await session.release();
  }
}

function defaultSeed(output: Tensor, of: string): Tensor {
  const perRow = output.rank === 0 ? 1 : sizeOf(output.shape.slice(1));
  if (perRow !== 1) throw new GlassboxError('bad-target', `"${of}" has ${perRow} values per row; pick one with --target <k> or give --seed <file>`);
  return onesSeed(output.shape, output.dtype);
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
