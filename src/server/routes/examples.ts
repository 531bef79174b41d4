/** GET /api/runs/:id/examples?offset=&limit=: test examples of the run's dataset, for "pick a test example". */
import type { FastifyInstance } from 'fastify';
import type { ExamplesResponse } from '../api-types.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { RUN_PARAMS, type RunParams } from '../schemas.js';

interface Query {
  offset?: string;
  limit?: string;
}

const COUNT = { type: 'string', pattern: '^[0-9]{1,9}$' } as const;
const QUERY = { type: 'object', additionalProperties: false, properties: { offset: COUNT, limit: COUNT } } as const;
const MAX_LIMIT = 200;

export function registerExampleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: RunParams; Querystring: Query }>('/api/runs/:id/examples', { schema: { params: RUN_PARAMS, querystring: QUERY } }, async (request): Promise<ExamplesResponse> => {
    const run = ctx.store.getRun(request.params.id);
    const dataset = ctx.models.dataset(run);
    if (!dataset) throw new HttpError(422, `run ${run.id} has no dataset here to take examples from`);
    const offset = Number(request.query.offset ?? 0);
    const limit = Math.min(MAX_LIMIT, Number(request.query.limit ?? 50));
    const { test } = dataset;
    const end = Math.min(test.size, offset + limit);
    const examples = [];
    for (let index = offset; index < end; index++) {
      const label = test.labels[index]!;
      const text = test.texts?.[index];
      examples.push({ index, label, labelName: dataset.classes[label] ?? String(label), ...(text !== undefined ? { text } : {}) });
    }
    return { size: test.size, examples };
  });
}
