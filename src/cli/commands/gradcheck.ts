import type { Command } from 'commander';
import { GlassboxError } from '../../util/errors.js';
import { loadModel } from '../../onnx/io.js';
import { gradcheck } from '../../engine/gradcheck.js';
import { prepareModel } from '../../engine/prepare.js';
import { sampleFeeds } from '../../runtime/sample-feeds.js';
import type { CliIO } from '../context.js';
import { formatNumber } from '../format-tensor.js';
import { columns, writeJson } from '../output.js';
import { feedsFromArgs } from '../../runtime/feed-files.js';
import { collectDims, integerOption, runtimeFlags, type RuntimeFlags } from './shared.js';

interface GradcheckFlags extends RuntimeFlags {
  input?: string[];
  of?: string[];
  wrt?: string[];
  directions: number;
  epsilon?: number;
  tolerance?: number;
  seed: number;
  json?: string | boolean;
  dim?: Record<string, number>;
}

export function registerGradcheck(program: Command, io: CliIO): void {
  const cmd = program
    .command('gradcheck')
    .description("check a model's gradients against central finite differences along random directions")
    .argument('<model>', 'an ONNX model file')
    .option('-i, --input <spec...>', 'inputs as [name=]file.json (default: random inputs, batch 2)')
    .option('--of <output...>', 'outputs to differentiate (default: every float output)')
    .option('--wrt <name...>', 'inputs, weights or intermediate tensors (default: every float input)')
    .option('--directions <n>', 'random directions per tensor', integerOption('--directions', 1), 3)
    .option('--epsilon <e>', 'finite-difference step relative to the tensor scale (default: 1e-6 for float64; for float32 the best of 1e-3, 3e-4, 1e-4)', Number)
    .option('--tolerance <t>', 'largest relative error accepted (default 5e-2 float32, 1e-6 float64)', Number)
    .option('--seed <n>', 'random seed', integerOption('--seed', 0), 7)
    .option('--json [file]', 'write the results as JSON')
    .option('--dim <name=size>', 'size of a symbolic dim for random inputs and probing (repeatable)', collectDims);
  runtimeFlags(cmd);
  cmd.addHelpText('after', `
For each tensor, glassbox compares <grad f, v> from the gradient graph with
(f(x + εv) − f(x − εv)) / 2ε, where f is a fixed random projection of the outputs to a scalar.
Errors are relative to the directional derivative (or to |grad f| for a direction nearly
orthogonal to it). In float32, rounding and the kinks of ReLU-like networks limit finite
differences to about 1e-3 on smooth models and a few percent on deep ReLU/Clip networks, hence
the 5e-2 default; float64 models are checked to 1e-6. Exits with status 1 beyond the tolerance.

Examples:
  glassbox gradcheck cnn.onnx
  glassbox gradcheck cnn.onnx --wrt conv1.weight fc.bias --directions 5`);
  cmd.action(async (modelPath: string, flags: GradcheckFlags) => {
    const runtime = { threads: flags.threads, deterministic: flags.deterministic };
    const { model } = await prepareModel(loadModel(modelPath), { probeOptions: flags.dim ? { dims: flags.dim } : {} });
    const feeds = flags.input ? feedsFromArgs(flags.input, model.graph.feedInputs) : sampleFeeds(model.graph.feedInputs, { batch: 2, ...(flags.dim ? { dims: flags.dim } : {}), seed: flags.seed });
    const results = await gradcheck(model, {
      feeds, directions: flags.directions, seed: flags.seed, runtime,
      ...(flags.of ? { of: flags.of } : {}), ...(flags.wrt ? { wrt: flags.wrt } : {}), ...(flags.epsilon ? { epsilon: flags.epsilon } : {}),
    });
    const tolerance = (dtype: string): number => flags.tolerance ?? (dtype === 'float64' ? 1e-6 : 5e-2);
    const failed = results.filter((r) => !(r.worstRelError <= tolerance(r.dtype)));
    if (flags.json !== undefined) {
      writeJson(io, flags.json, { ok: failed.length === 0, results: results.map((r) => ({ ...r, tolerance: tolerance(r.dtype), ok: r.worstRelError <= tolerance(r.dtype) })) });
    } else {
      io.stdout(`${columns([['tensor', 'dtype', 'worst rel. error', 'worst abs. error', ''], ...results.map((r) => [
        r.wrt, r.dtype, formatNumber(r.worstRelError), formatNumber(r.worstAbsError), r.worstRelError <= tolerance(r.dtype) ? 'ok' : `MISMATCH (tolerance ${tolerance(r.dtype)})`,
      ])], '')}\n`);
    }
    if (failed.length > 0) {
      throw new GlassboxError('gradcheck-failed', `${failed.map((r) => r.wrt).join(', ')}: gradient differs from finite differences beyond the tolerance`);
    }
  });
}
