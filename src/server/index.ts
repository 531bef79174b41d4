/**
 * `glassbox serve` as a function: the dashboard over a run store, listening on loopback by
 * default. The demo starts it the same way.
 */
import type { AddressInfo } from 'node:net';
import { DEFAULT_STORE_DIR, RunStore } from '../store/store.js';
import { GlassboxError } from '../util/errors.js';
import { buildApp } from './app.js';
import { findWebRoot } from './assets.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4321;

export interface ServerOptions {
  /** The run store directory (default ./glassbox-runs); it must exist. */
  store?: string;
  /** Default 127.0.0.1. Anything but a loopback address exposes the store to the network. */
  host?: string;
  /** Default 4321; 0 picks a free port (the URL says which). */
  port?: number;
  /** Where internal errors are reported (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:4321/ */
  url: string;
  host: string;
  port: number;
  /** Stops listening, releases the models' sessions and closes the store. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GlassboxError('bad-option', `port must be an integer in 0..65535, got ${port}`);
  const webRoot = findWebRoot();
  const store = RunStore.open(options.store ?? DEFAULT_STORE_DIR, { create: false });
  let app;
  try {
    const allowedHosts = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]', urlHost(host).toLowerCase()] : undefined;
    app = await buildApp({ store, webRoot, ...(allowedHosts ? { allowedHosts } : {}), ...(options.log ? { log: options.log } : {}) });
    await app.listen({ host, port });
  } catch (error) {
    await app?.close();
    store.close();
    throw listenError(error, host, port);
  }
  const actual = (app.server.address() as AddressInfo).port;
  const running = app;
  return {
    url: `http://${urlHost(host)}:${actual}/`,
    host,
    port: actual,
    close: async () => {
      await running.close();
      store.close();
    },
  };
}

/** The host as a URL writes it (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new GlassboxError('port-in-use', `port ${port} on ${host} is in use: pick another with --port (0 = any free port)`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new GlassboxError('bad-host', `cannot listen on ${host}: not an address of this machine`);
  if (code === 'EACCES') return new GlassboxError('bad-host', `not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`);
  return error;
}
