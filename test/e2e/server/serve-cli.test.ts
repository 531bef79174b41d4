import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/fixtures.js';
import { makeStore, type StoreFixture } from './fixture.js';

/** `glassbox serve` as a user runs it: the URL on stdout, one-line errors, a clean stop on SIGINT/SIGTERM. */
let fx: StoreFixture;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is missing: run `npm run build` (npm test does)');
  fx = await makeStore('small');
});

/** Starts `glassbox serve`, waits for its URL line, and gives a way to stop it. */
function serve(args: string[]): Promise<{ url: string; stop(signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'glassbox.mjs'), 'serve', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no URL after 20 s: ${stdout}${stderr}`)); }, 20_000);
    child.stdout.on('data', () => {
      const url = /http:\/\/\S+\//.exec(stdout)?.[0];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        stop: async (signal) => {
          child.kill(signal);
          return { code: await exited, stdout, stderr };
        },
      });
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}) before printing its URL: ${stderr}`)); });
  });
}

describe('glassbox serve', () => {
  it('prints its URL, serves the API, and stops cleanly on SIGINT and SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const server = await serve(['--store', fx.dir, '--port', '0']);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const runs = (await (await fetch(new URL('api/runs', server.url))).json()) as { runs: unknown[] };
      expect(runs.runs).toHaveLength(2);
      const result = await server.stop(signal);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^glassbox dashboard on http:\/\/127\.0\.0\.1:\d+\/ /);
      expect(result.stderr).toBe('dashboard stopped\n');
    }
  });

  it('a port in use: one line, exit 1', async () => {
    const server = await serve(['--store', fx.dir, '--port', '0']);
    const port = new URL(server.url).port;
    const second = bin(['serve', '--store', fx.dir, '--port', port]);
    await server.stop('SIGTERM');
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`glassbox: port ${port} on 127.0.0.1 is in use: pick another with --port (0 = any free port)\n`);
  });

  it('no store, or a bad port: one line', () => {
    const missing = bin(['serve', '--store', join(fx.dir, 'nope'), '--port', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^glassbox: no run store in .*nope \(no such directory\): train or import a run first, or point --store at a store\n$/);
    const port = bin(['serve', '--store', fx.dir, '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port must be an integer in 0\.\.65535/);
  });
});
