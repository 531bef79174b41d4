/** GET /api/runs/:id/analyses?kind=&step=: stored analyses (the layer information panel reads kind 'information'). */
import type { FastifyInstance } from 'fastify';
import type { AnalysesResponse } from '../api-types.js';
import type { ServerContext } from '../context.js';
import { RUN_PARAMS, STEP, stepOf, type RunParams } from '../schemas.js';

interface Query {
  kind?: string;
  step?: string;
}

const QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { kind: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }, step: STEP },
} as const;

export function registerAnalysisRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RunParams; Querystring: Query }>('/api/runs/:id/analyses', { schema: { params: RUN_PARAMS, querystring: QUERY } }, async (request): Promise<AnalysesResponse> => {
    const { kind, step } = request.query;
    const analyses = ctx.store.listAnalyses(request.params.id, { ...(kind ? { kind } : {}), ...(step !== undefined ? { step: stepOf(step) } : {}) });
    return { analyses: analyses.map(({ run: _run, ...rest }) => rest) };
  });
}
