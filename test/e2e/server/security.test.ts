import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/server/index.js';
import { GlassboxError } from '../../../src/util/errors.js';
import { makeStore, type StoreFixture } from './fixture.js';
import { raw } from './http.js';

/** What the dashboard serves and what it refuses: only the app's assets and the API, on loopback, bounded bodies. */
let fx: StoreFixture;
let server: RunningServer;

beforeAll(async () => {
  fx = await makeStore('small');
  server = await startServer({ store: fx.dir, port: 0 });
});

afterAll(async () => {
  await server?.close();
});

describe('listening', () => {
  it('binds 127.0.0.1 by default and prints the real port for port 0', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('refuses requests naming another host (DNS rebinding), answers localhost', async () => {
    const evil = await raw(server.url, '/api/runs', { headers: { Host: 'attacker.example:80' } });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toEqual({ error: 'this server answers requests to 127.0.0.1 or localhost only' });
    expect((await raw(server.url, '/api/runs', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('a port in use and a missing store are one-line errors', async () => {
    await expect(startServer({ store: fx.dir, port: server.port })).rejects.toThrow(new GlassboxError('port-in-use', `port ${server.port} on 127.0.0.1 is in use: pick another with --port (0 = any free port)`));
    await expect(startServer({ store: `${fx.dir}/missing`, port: 0 })).rejects.toThrow(/no run store in .*missing/);
    // The failed starts left the port and the first server alone.
    expect((await raw(server.url, '/api/runs')).status).toBe(200);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    await expect(startServer({ store: fx.dir, port })).rejects.toMatchObject({ code: 'port-in-use' });
    blocker.close();
  });
});

describe('static files', () => {
  it('serves the built app with security headers', async () => {
    const index = await raw(server.url, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();
    const asset = await raw(server.url, `/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
  });

  const traversals = [
    '/../package.json', '/../../package.json', '/%2e%2e/package.json', '/%2e%2e/', '/%2E%2E/%2E%2E/package.json', '/..%2fpackage.json',
    '/api/../', '/api/../package.json', '/api/%2e%2e/package.json', '/assets/../../package.json', '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json', '/index.html/../../package.json', '/..%5c..%5cpackage.json', '//etc/passwd', '/.npmrc',
    '/assets/', '/dist/web/index.html', '/src/server/app.ts', '/package.json',
  ];
  it.each(traversals)('%s is a 404, and no file outside the app', async (path) => {
    const response = await raw(server.url, path);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ error: 'not found' });
  });
});

describe('request size', () => {
  it('a body over 3 MiB is refused with 413 and a JSON message', async () => {
    const body = JSON.stringify({ methods: ['saliency'], image: 'A'.repeat(4 * 2 ** 20) });
    const response = await raw(server.url, `/api/runs/${fx.image.id}/checkpoints/0/attribute`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }, body });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ error: 'the request body is too large (limit: 3 MiB; images up to 2 MiB)' });
  });

  it('other content types are refused', async () => {
    const response = await raw(server.url, `/api/runs/${fx.image.id}/checkpoints/0/attribute`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'methods=saliency' });
    expect(response.status).toBe(415);
  });
});
