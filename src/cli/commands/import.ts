import { statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { GlassboxError } from '../../util/errors.js';
import { importSeries } from '../../store/import.js';
import { listSome } from '../../store/store.js';
import type { CliIO } from '../context.js';
import { writeJson } from '../output.js';
import { STORE_OPTION, withStore } from './runs.js';

interface ImportFlags {
  weights?: string[];
  name?: string;
  store: string;
  json?: string | boolean;
}

export function registerImport(program: Command, io: CliIO): void {
  program
    .command('import')
    .description('import a checkpoint series trained elsewhere into the run store')
    .argument('<source>', 'a directory of ONNX files (one per checkpoint), or one ONNX graph (with --weights)')
    .option('--weights <files...>', 'safetensors files whose tensors are named after the graph\'s weights, one per checkpoint')
    .option('--name <name>', 'the run\'s name (default: the directory or graph file name)', (v: string) => {
      if (!v.trim()) throw new InvalidArgumentError('--name must not be empty');
      return v;
    })
    .option(...STORE_OPTION)
    .option('--json [file]', 'the new run id and its steps, as JSON')
    .addHelpText('after', `
A checkpoint's step is the last number in its file name (ckpt_100.onnx -> step 100) when every
file has a different one; otherwise files are taken in name order as steps 0, 1, 2, ...
All files of a series must share one graph (the same nodes, weight names, types and shapes).

Examples:
  glassbox import checkpoints/                      # ckpt_0.onnx, ckpt_100.onnx, ...
  glassbox import model.onnx --weights step_100.safetensors step_200.safetensors --name bert-seed1`)
    .action(async (source: string, flags: ImportFlags) => {
      let isDirectory = false;
      try {
        isDirectory = statSync(source).isDirectory();
      } catch {
        throw new GlassboxError('not-found', `${source}: no such file or directory`);
      }
      if (isDirectory && flags.weights) throw new GlassboxError('bad-input', `--weights goes with one ONNX graph, but ${source} is a directory`);
      await withStore(flags.store, (store) => {
        const result = flags.weights
          ? importSeries(store, { graph: source, weights: flags.weights }, flags.name)
          : importSeries(store, { models: source }, flags.name);
        if (flags.json !== undefined) writeJson(io, flags.json, { store: store.dir, ...result });
        else io.stdout(`imported ${result.steps.length} checkpoint${result.steps.length === 1 ? '' : 's'} as run ${result.run} (steps ${listSome(result.steps.map(String))})\n`);
      }, true);
    });
}
