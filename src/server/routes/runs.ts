/** GET /api/runs and GET /api/runs/:id: the run list, and one run with its checkpoints and curves. */
import type { FastifyInstance } from 'fastify';
import type { RunInfo } from '../../store/store.js';
import type { RunDetail, RunInput, RunSummary, RunsResponse } from '../api-types.js';
import type { ServerContext } from '../context.js';
import { RUN_PARAMS, type RunParams } from '../schemas.js';

export function registerRunRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/runs', async (): Promise<RunsResponse> => ({ runs: ctx.store.listRuns().map(summary) }));

  app.get<{ Params: RunParams }>('/api/runs/:id', { schema: { params: RUN_PARAMS } }, async (request): Promise<RunDetail> => {
    const run = ctx.store.getRun(request.params.id);
    // Checkpoint rows carry absolute file paths and checksums: the dashboard needs neither.
    const checkpoints = ctx.store.listCheckpoints(run.id).map((c) => ({
      step: c.step, bytes: c.bytes, created: c.created,
      ...(c.epoch !== undefined ? { epoch: c.epoch } : {}),
      ...(c.metrics ? { metrics: c.metrics } : {}),
    }));
    return { run: { ...summary(run), config: run.config }, input: inputOf(ctx, run), checkpoints, metrics: ctx.store.metrics(run.id) };
  });
}

function summary(run: RunInfo): RunSummary {
  const { config: _config, ...rest } = run;
  return rest;
}

function inputOf(ctx: ServerContext, run: RunInfo): RunInput | null {
  const dataset = ctx.models.dataset(run);
  if (!dataset) return null;
  return { kind: dataset.kind, shape: [...dataset.shape], classes: [...dataset.classes], testExamples: dataset.test.size };
}
