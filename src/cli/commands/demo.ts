import type { Command } from 'commander';
import { runDemo, type DemoProgress } from '../../demo/index.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../server/index.js';
import type { CliIO } from '../context.js';
import { writeJson } from '../output.js';
import { progressBar, type Progress } from '../progress.js';
import { STORE_OPTION } from './runs.js';
import { portOption, serveUntilStopped } from './serve.js';

interface DemoFlags {
  store: string;
  report?: string;
  json?: string | boolean;
  serve: boolean;
  port: number;
  host: string;
  open?: boolean;
  pretrained: boolean;
}

export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('the main job: train two models with checkpoint series, explain them across training, write a report and open the dashboard')
    .option(...STORE_OPTION)
    .option('--report <file>', 'where the HTML report goes (default: <store>/demo-report.html)')
    .option('--json [file]', 'write the results as JSON (to stdout, or to a file)')
    .option('--no-serve', 'do not start the dashboard at the end (scripts, CI)')
    .option('-p, --port <n>', 'the dashboard\'s port (0 = any free port)', portOption, DEFAULT_PORT)
    .option('--host <address>', 'the address the dashboard listens on', DEFAULT_HOST)
    .option('--open', 'open the dashboard in the default browser')
    .option('--no-pretrained', 'skip the pretrained PaddleOCR model')
    .addHelpText('after', `
What it does, on data and models that ship with glassbox (nothing is downloaded):
  1. trains a sentiment Transformer (the UCI sentences) and a small MNIST CNN, keeping a
     checkpoint series of each in the run store — or reuses them when an earlier demo did;
  2. explains sentences with Integrated Gradients at checkpoints across training, and measures
     how much of each word every layer keeps (Guan et al. 2019) at three checkpoints;
  3. explains MNIST digits with Integrated Gradients and Grad-CAM across training;
  4. shows a pretrained PaddleOCR orientation classifier (an ONNX export from Paddle);
  5. writes one HTML report and starts the dashboard (glassbox serve) on 127.0.0.1.
The first run trains for about a minute on 2 cores; later runs reuse the models.

Examples:
  glassbox demo
  glassbox demo --no-serve --json summary.json
  glassbox demo --store /tmp/runs --port 0`)
    .action(async (flags: DemoFlags) => {
      const result = await runDemo({
        storeDir: flags.store,
        pretrained: flags.pretrained,
        ...(flags.report ? { reportPath: flags.report } : {}),
        progress: cliProgress(io),
      });
      if (flags.json !== undefined) writeJson(io, flags.json, result);
      if (flags.json === undefined || (flags.json !== true && flags.json !== '-')) {
        const lines = ['', 'glassbox demo'];
        for (const r of result.runs) lines.push(`  ${r.title.padEnd(22)} ${r.id}  test accuracy ${r.testAccuracy === undefined ? '–' : `${(100 * r.testAccuracy).toFixed(1)}%`}${r.trained ? '' : '  (reused)'}`);
        const first = result.sentiment.sentences[0];
        const final = first?.attributions.at(-1);
        if (first && final) {
          const ranked = final.tokens.map((t, i) => [t, final.values[i]!] as const).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 4);
          lines.push(`  "${first.text}"`, `    P(positive) ${final.positive.toFixed(2)}; words that decided it (IG): ${ranked.map(([t, v]) => `${t} ${v >= 0 ? '+' : ''}${v.toFixed(2)}`).join(', ')}`);
        }
        lines.push(`  report: ${result.reportPath}  (${result.seconds.toFixed(0)} s)`, '');
        io.stdout(lines.join('\n'));
      }
      if (flags.serve) await serveUntilStopped(io, { store: flags.store, port: flags.port, host: flags.host, ...(flags.open ? { open: true } : {}) });
    });
}

/** Phases as progress bars on a terminal (redrawn after a note), and notes as lines on stderr. */
function cliProgress(io: CliIO): DemoProgress {
  let bar: Progress | undefined;
  let current: { label: string; total: number } | undefined;
  return {
    phase: (label, total) => {
      bar?.stop();
      bar = undefined;
      current = { label, total: total ?? 1 };
      io.stderr(`${label}…\n`);
    },
    update: (done, info) => {
      if (current) bar ??= progressBar(io, current.total, current.label);
      bar?.update(done, info);
    },
    note: (line) => {
      bar?.stop();
      bar = undefined;
      io.stderr(`  ${line}\n`);
    },
  };
}
