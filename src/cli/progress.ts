import cliProgress from 'cli-progress';
import type { CliIO } from './context.js';

export interface Progress {
  update(done: number, info?: Record<string, string | number>): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal (cli-progress), nothing otherwise: logs and
 * CI output get the per-epoch lines instead of a redrawn bar.
 */
export function progressBar(io: CliIO, total: number, label: string): Progress {
  if (!io.isTTY || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({
    format: `${label} |{bar}| {percentage}% · {value}/{total} · ETA {eta_formatted} · {info}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { info: '' });
  return {
    update: (done, info) => bar.update(done, { info: info ? Object.entries(info).map(([k, v]) => `${k} ${v}`).join(' · ') : '' }),
    stop: () => bar.stop(),
  };
}
