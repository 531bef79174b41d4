import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/context.js';
import { ROOT } from './fixtures.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (fast; same code path as the binary minus the process). */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Runs the built binary in a child process, as a user would (needs `npm run build`). */
export function bin(args: string[], options: { cwd?: string; input?: string } = {}): CliResult {
  const entry = join(ROOT, 'bin', 'glassbox.mjs');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  const result = spawnSync(process.execPath, [entry, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', input: options.input, timeout: 120_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
