/**
 * POST /api/runs/:id/checkpoints/:step/attribute: explains one input (a sentence, a test
 * example, an uploaded image) at one checkpoint with one or more of Captum's methods, as
 * `glassbox attribute` does; answers explanationJson per method and, for images, the panels as
 * a PNG data URL. Runs go through the queue one at a time; answers are cached by request.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { METHOD_NAMES } from '../../attribution/methods.js';
import { explainSubject } from '../../explain/explain.js';
import { explanationJson, explanationPng } from '../../explain/explanation.js';
import { resolveSubject, type SubjectRequest } from '../../explain/subject.js';
import type { Dataset } from '../../train/types.js';
import { GlassboxError } from '../../util/errors.js';
import type { AttributeRequest, AttributeResponse, MethodExplanation } from '../api-types.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { CHECKPOINT_PARAMS, stepOf, type CheckpointParams } from '../schemas.js';

export const MAX_IMAGE_BYTES = 2 * 2 ** 20;

const BODY = {
  type: 'object',
  required: ['methods'],
  additionalProperties: false,
  properties: {
    methods: { type: 'array', minItems: 1, maxItems: 6, uniqueItems: true, items: { type: 'string', enum: METHOD_NAMES } },
    text: { type: 'string', minLength: 1, maxLength: 2000 },
    example: { type: 'integer', minimum: 0, maximum: 10_000_000 },
    // Base64 (or a data URL); its decoded size is checked against MAX_IMAGE_BYTES below.
    image: { type: 'string', minLength: 1, pattern: '^(data:image/[a-z0-9.+-]+;base64,)?[A-Za-z0-9+/=\\s]+$' },
    target: { type: 'string', minLength: 1, maxLength: 200 },
    layer: { type: 'string', minLength: 1, maxLength: 500 },
    neuron: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'integer', minimum: 0 } },
    steps: { type: 'integer', minimum: 1, maximum: 500 },
    // Occlusion's sliding window and strides (one extent per input dim after the batch dim).
    window: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'integer', minimum: 1, maximum: 4096 } },
    strides: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'integer', minimum: 1, maximum: 4096 } },
  },
} as const;

export function registerAttributeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: CheckpointParams; Body: AttributeRequest }>('/api/runs/:id/checkpoints/:step/attribute', { schema: { params: CHECKPOINT_PARAMS, body: BODY } }, async (request): Promise<AttributeResponse> => {
    const body = request.body;
    const given = (['text', 'example', 'image'] as const).filter((k) => body[k] !== undefined);
    if (given.length !== 1) throw new HttpError(400, given.length ? `give one input, not ${given.join(' and ')}` : 'give an input: text, example or image');
    const step = stepOf(request.params.step);
    // Unknown runs and steps are 404s before anything waits in the queue.
    const run = ctx.store.getRun(request.params.id);
    const checkpoint = ctx.store.getCheckpoint(run.id, step);
    const image = body.image !== undefined ? decodeImage(body.image) : undefined;
    checkInput(body, ctx.models.dataset(run), run.id);
    const key = JSON.stringify([run.id, step, checkpoint.sha256, { ...body, image: image && createHash('sha256').update(image).digest('hex') }]);
    const cached = ctx.results.get(key);
    if (cached) return cached;
    const answer = await ctx.queue.run(() => explainAt(ctx, run.id, step, body, image));
    ctx.results.set(key, answer);
    return answer;
  });
}

async function explainAt(ctx: ServerContext, runId: string, step: number, body: AttributeRequest, image: Uint8Array | undefined): Promise<AttributeResponse> {
  const { ref, sessions } = ctx.models.get(runId, step);
  const input: SubjectRequest = {
    runtime: {},
    ...(body.text !== undefined ? { text: body.text } : {}),
    ...(body.example !== undefined ? { example: body.example } : {}),
    ...(image ? { image } : {}),
  };
  const subject = await resolveSubject(ref, input, sessions);
  try {
    const explanation = await explainSubject(ref, subject, {
      methods: body.methods,
      ...(body.target !== undefined ? { target: body.target } : {}),
      ...(body.layer !== undefined ? { layer: body.layer } : {}),
      ...(body.neuron !== undefined ? { neuron: body.neuron } : {}),
      ...(body.steps !== undefined ? { steps: body.steps } : {}),
      ...(body.window !== undefined ? { window: body.window } : {}),
      ...(body.strides !== undefined ? { strides: body.strides } : {}),
    });
    const results = [explanationJson(explanation)].flat() as MethodExplanation[];
    const classes = subject.classes ?? ref.dataset?.classes;
    const answer: AttributeResponse = { run: runId, step, results, ...(classes ? { classes: [...classes] } : {}) };
    if (subject.image) {
      try {
        answer.png = `data:image/png;base64,${(await explanationPng(explanation)).toString('base64')}`;
      } catch (error) {
        // A layer map that cannot be drawn over the image still has its numbers.
        if (!(error instanceof GlassboxError)) throw error;
        answer.note = error.message;
      }
    }
    return answer;
  } finally {
    await subject.release();
  }
}

function decodeImage(value: string): Uint8Array {
  const base64 = value.replace(/^data:[^,]*,/, '').replace(/\s+/g, '');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) throw new HttpError(413, `the image is ${(bytes.length / 2 ** 20).toFixed(1)} MiB; the limit is 2 MiB`);
  if (bytes.length === 0) throw new HttpError(400, 'body.image is empty');
  return bytes;
}

/** Inputs that do not fit the run's model, said in the API's words rather than the CLI's flags. */
function checkInput(body: AttributeRequest, dataset: Dataset | undefined, runId: string): void {
  if (body.example !== undefined) {
    if (!dataset) throw new HttpError(422, `run ${runId} has no dataset here to take example ${body.example} from`);
    if (body.example >= dataset.test.size) throw new HttpError(422, `example ${body.example} is out of range: ${dataset.name}'s test split has ${dataset.test.size} examples (0..${dataset.test.size - 1})`);
  }
  if (!dataset) return;
  if (body.text !== undefined && dataset.kind !== 'tokens') throw new HttpError(422, `run ${runId} reads ${dataset.kind === 'image' ? 'images' : 'vectors'}, not text: upload an image or pick an example`);
  if (body.image !== undefined && dataset.kind !== 'image') throw new HttpError(422, `run ${runId} reads ${dataset.kind === 'tokens' ? 'text' : 'vectors'}, not images`);
}
