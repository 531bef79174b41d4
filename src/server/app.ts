/**
 * The dashboard's Fastify app: JSON API over the run store and the explain service, the built
 * web app, and the guards around them (body limit, schemas on every route, one-line errors,
 * Host check against DNS rebinding on loopback, security headers).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { RunStore } from '../store/store.js';
import { registerAssets } from './assets.js';
import { createContext } from './context.js';
import { errorHandler, schemaErrorFormatter } from './errors.js';
import { registerAnalysisRoutes } from './routes/analyses.js';
import { registerAttributeRoutes } from './routes/attribute.js';
import { registerExampleRoutes } from './routes/examples.js';
import { registerLayerRoutes } from './routes/layers.js';
import { registerMethodRoutes } from './routes/methods.js';
import { registerRunRoutes } from './routes/runs.js';

/** JSON bodies up to 3 MiB: a 2 MiB image is 2.7 MiB in base64. */
export const BODY_LIMIT = 3 * 2 ** 20;

export interface AppOptions {
  store: RunStore;
  /** The built web app's directory (see findWebRoot). */
  webRoot: string;
  /**
   * When set, requests must name one of these hosts (no port; IPv6 in brackets) in their Host
   * header: the loopback names, when listening on loopback.
   */
  allowedHosts?: readonly string[];
  /** Where internal errors are reported (default: stderr). */
  log?: (line: string) => void;
}

const SECURITY_HEADERS: Record<string, string> = {
  // Everything comes from this origin; images may be data: URLs (the attribution panels).
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    schemaErrorFormatter,
    // No coercion and no silent removal: a body field of the wrong type or name is a 400.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  const ctx = createContext(options.store);
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ error: 'not found' });
  });
  if (options.allowedHosts) {
    const allowed = new Set(options.allowedHosts);
    app.addHook('onRequest', async (request, reply) => {
      // A web page elsewhere could point a DNS name at 127.0.0.1 and read the API; such requests name that host.
      const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      if (!allowed.has(host)) return reply.code(403).send({ error: 'this server answers requests to 127.0.0.1 or localhost only' });
    });
  }
  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });
  registerRunRoutes(app, ctx);
  registerAnalysisRoutes(app, ctx);
  registerExampleRoutes(app, ctx);
  registerLayerRoutes(app, ctx);
  registerMethodRoutes(app);
  registerAttributeRoutes(app, ctx);
  await registerAssets(app, options.webRoot);
  app.addHook('onClose', async () => {
    await ctx.models.close();
  });
  return app;
}
