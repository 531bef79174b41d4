import { spawn } from 'node:child_process';
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, startServer } from '../../server/index.js';
import type { CliIO } from '../context.js';
import { STORE_OPTION } from './runs.js';

interface Flags {
  store: string;
  port: number;
  host: string;
  open?: boolean;
}

export function registerServe(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('the dashboard: runs, training curves, attributions and layer information per checkpoint, in the browser')
    .option(...STORE_OPTION)
    .option('-p, --port <n>', 'the port (0 = any free port)', portOption, DEFAULT_PORT)
    .option('--host <address>', 'the address to listen on (anything but loopback exposes the store to the network)', DEFAULT_HOST)
    .option('--open', 'open the dashboard in the default browser')
    .addHelpText('after', `
Stops on Ctrl-C. The API (JSON) is under /api: runs, runs/<id>, runs/<id>/analyses,
runs/<id>/checkpoints/<step>/attribute, methods.

Examples:
  glassbox serve
  glassbox serve --store ./my-runs --port 0 --open`)
    .action(async (flags: Flags) => {
      await serveUntilStopped(io, flags);
    });
}

/** Starts the dashboard, prints its URL and serves until Ctrl-C or SIGTERM (the demo ends this way too). */
export async function serveUntilStopped(io: CliIO, flags: Flags): Promise<void> {
  const server = await startServer({ store: flags.store, host: flags.host, port: flags.port, log: (line) => io.stderr(`${line}\n`) });
  io.stdout(`glassbox dashboard on ${server.url} (store ${flags.store}; Ctrl-C stops it)\n`);
  if (!isLoopback(flags.host)) io.stderr(`warning: listening on ${flags.host}: anyone who can reach this address can read the store and run models\n`);
  if (flags.open) openBrowser(server.url, io);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  io.stderr('dashboard stopped\n');
}

export function portOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('--port must be an integer in 0..65535 (0 = any free port)');
  return n;
}

/** The platform's opener, detached; a missing one only costs a message. */
function openBrowser(url: string, io: CliIO): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => io.stderr(`could not open a browser (${command}); open ${url} yourself\n`));
    child.unref();
  } catch {
    io.stderr(`could not open a browser; open ${url} yourself\n`);
  }
}
