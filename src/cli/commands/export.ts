import type { Command } from 'commander';
import { exportCheckpoint, parseCheckpointRef } from '../../store/export.js';
import type { CliIO } from '../context.js';
import { bytesLabel, writeJson } from '../output.js';
import { STORE_OPTION, withStore } from './runs.js';

interface ExportFlags {
  store: string;
  json?: string | boolean;
}

export function registerExport(program: Command, io: CliIO): void {
  program
    .command('export')
    .description('write a checkpoint of a run as a standalone ONNX model')
    .argument('<checkpoint>', '<run>:<step> or <run>:latest (a bare <run> means its latest checkpoint)')
    .argument('<out>', 'the .onnx file to write')
    .option(...STORE_OPTION)
    .option('--json [file]', 'what was written, as JSON')
    .addHelpText('after', `
Examples:
  glassbox export 20261121-2040-mnist-cnn-s1:2000 cnn-step2000.onnx
  glassbox export 20261121-2040-mnist-cnn-s1:latest final.onnx --store runs/`)
    .action(async (ref: string, out: string, flags: ExportFlags) => {
      const wanted = parseCheckpointRef(ref);
      await withStore(flags.store, (store) => {
        const run = store.resolveRun(wanted.run);
        const result = exportCheckpoint(store, run.id, wanted.step, out);
        if (flags.json !== undefined) writeJson(io, flags.json, result);
        else io.stdout(`wrote ${out}: run ${result.run}, checkpoint at step ${result.step} (${bytesLabel(result.bytes)})\n`);
      });
    });
}
