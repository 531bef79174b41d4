/** GET /api/runs/:id/layers: the tensors a layer method can take (what `glassbox inspect` lists as hookable). */
import type { FastifyInstance } from 'fastify';
import { summarizeModel } from '../../inspect/summary.js';
import type { LayersResponse } from '../api-types.js';
import type { ServerContext } from '../context.js';
import { RUN_PARAMS, type RunParams } from '../schemas.js';

export function registerLayerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RunParams }>('/api/runs/:id/layers', { schema: { params: RUN_PARAMS } }, async (request): Promise<LayersResponse> => {
    const run = ctx.store.getRun(request.params.id);
    const cached = ctx.layers.get(run.id);
    if (cached) return cached;
    // Summaries may probe shapes with onnxruntime: through the queue like every model run.
    const summary = await ctx.queue.run(() => summarizeModel(ctx.store.graph(run.id)));
    const body = { layers: summary.hookable.map((h) => ({ name: h.name, op: h.op, shape: h.shape ? [...h.shape] : null })) };
    ctx.layers.set(run.id, body);
    return body;
  });
}
