/**
 * The built web app (dist/web, written by `vite build`) and nothing else from disk. Routes are
 * made for the files present at start (wildcard off), so no request path — `..`, encoded or
 * not — can reach a file outside them; dotfiles are ignored.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { GlassboxError } from '../util/errors.js';

/** dist/web from the built server (dist/server) or from the sources (src/server, under tests). */
export function findWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'web'), join(here, '..', '..', 'dist', 'web')];
  const root = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!root) throw new GlassboxError('no-web-app', `the dashboard's web app is not built (no ${join('dist', 'web', 'index.html')}): run npm run build`);
  return root;
}

export async function registerAssets(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (reply, path) => {
      // Vite puts a content hash in every asset's name; index.html must be fetched afresh.
      reply.header('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
