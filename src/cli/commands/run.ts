import type { Command } from 'commander';
import { tensorToJson } from '../../tensor/json.js';
import { cloneModel } from '../../onnx/edit/clone.js';
import { exposeOutputs } from '../../onnx/edit/expose.js';
import { loadModel } from '../../onnx/io.js';
import { normalize } from '../../onnx/normalize/index.js';
import { runBatched } from '../../runtime/batching.js';
import { Session } from '../../runtime/session.js';
import type { CliIO } from '../context.js';
import { formatTensor, tensorHeader } from '../format-tensor.js';
import { writeJson } from '../output.js';
import { feedsFromArgs } from '../../runtime/feed-files.js';
import { integerOption, runtimeFlags, type RuntimeFlags } from './shared.js';

interface RunFlags extends RuntimeFlags {
  input: string[];
  output?: string[];
  json?: string | boolean;
  batchSize?: number;
  allowNan?: boolean;
}

export function registerRun(program: Command, io: CliIO): void {
  const cmd = program
    .command('run')
    .description('run a model on tensors from JSON files and print or save its outputs')
    .argument('<model>', 'an ONNX model file')
    .requiredOption('-i, --input <spec...>', 'an input as [name=]file.json, or inline JSON such as \'[[1,2,3]]\'; repeat for several inputs')
    .option('-o, --output <name...>', 'outputs to fetch (default: all graph outputs); any intermediate tensor name works too')
    .option('--json [file]', 'write {outputs: {name: {shape, dtype, data}}} to stdout, or to a file')
    .option('--batch-size <n>', 'run in chunks of n rows along the batch axis', integerOption('--batch-size', 1))
    .option('--allow-nan', 'accept NaN in float inputs (rejected by default)');
  runtimeFlags(cmd);
  cmd.addHelpText('after', `
Tensor files hold {"shape": [2, 3], "dtype": "float32", "data": [...flat, row-major...]} or a
nested array such as [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] (which takes the input's type).

Examples:
  glassbox run model.onnx --input image.json
  glassbox run model.onnx --input input_ids=ids.json --output logits --json out.json
  glassbox run model.onnx --input '[[1, 5, 9]]' --output /encoder/layers.0/Add_output_0`);
  cmd.action(async (modelPath: string, flags: RunFlags) => {
    const canonical = normalize(loadModel(modelPath));
    const feeds = feedsFromArgs(flags.input, canonical.graph.feedInputs);
    const graphOutputs = canonical.graph.outputs.map((o) => o.name);
    const wanted = flags.output ?? graphOutputs;
    const runnable = wanted.every((n) => graphOutputs.includes(n)) ? canonical : exposeOutputs(cloneModel(canonical), wanted);
    const session = await Session.create(runnable, { threads: flags.threads, deterministic: flags.deterministic });
    try {
      const results = await runBatched(session, feeds, { outputs: wanted, batchSize: flags.batchSize, allowNaN: flags.allowNan });
      if (flags.json !== undefined) {
        writeJson(io, flags.json, { outputs: Object.fromEntries(Object.entries(results).map(([k, t]) => [k, tensorToJson(t)])) });
        return;
      }
      for (const [name, tensor] of Object.entries(results)) io.stdout(`${tensorHeader(name, tensor)}\n${indent(formatTensor(tensor))}\n`);
    } finally {
      await session.release();
    }
  });
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
