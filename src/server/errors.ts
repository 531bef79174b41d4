/**
 * How failures become responses: one-line JSON `{error}` messages with the right status.
 * Schema failures are 400, unknown runs and checkpoints 404, a GlassboxError (the model cannot
 * take this input) 422, a full queue 503; anything else is a bug: 500 with a generic message,
 * and the details go to the log, not to the client.
 */
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';

type SchemaErrorDataVar = 'body' | 'headers' | 'params' | 'querystring';
import { GlassboxError, errorMessage } from '../util/errors.js';

/** An error with the HTTP status to answer it with (thrown by route handlers). */
export class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

const GLASSBOX_STATUS: Record<string, number> = {
  'unknown-run': 404,
  'unknown-checkpoint': 404,
  'busy': 503,
  // The store's files are damaged: not the request's fault, but the message says what to do.
  'bad-store': 500,
  'bad-safetensors': 500,
  'io': 500,
};

export function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.statusCode;
  if (error instanceof GlassboxError) return GLASSBOX_STATUS[error.code] ?? 422;
  const status = (error as FastifyError).statusCode;
  // Fastify's own client errors (bad JSON, body too large, wrong content type) carry a status.
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

export function errorHandler(log: (line: string) => void) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = statusOf(error);
    const known = error instanceof GlassboxError || error instanceof HttpError || status < 500;
    if (!known) log(`${request.method} ${request.url}: internal error: ${error.stack ?? errorMessage(error)}`);
    void reply.code(status).send({ error: known ? clientMessage(error) : 'internal error (see the server log)' });
  };
}

function clientMessage(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'the request body is too large (limit: 3 MiB; images up to 2 MiB)';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'send JSON (Content-Type: application/json)';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'the body is not valid JSON';
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'the body is empty';
  return errorMessage(error);
}

/** Ajv's first complaint as one line naming the field: `body.methods must NOT have fewer than 1 items`. */
export function schemaErrorFormatter(errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar): Error {
  const e = errors[0];
  if (!e) return new HttpError(400, `invalid ${dataVar}`);
  const where = `${dataVar}${e.instancePath.replace(/\//g, '.')}`;
  const params = e.params as Record<string, unknown>;
  let detail = e.message ?? 'is invalid';
  if (typeof params.additionalProperty === 'string') detail = `has an unknown field "${params.additionalProperty}"`;
  else if (Array.isArray(params.allowedValues)) detail = `must be one of: ${params.allowedValues.join(', ')}`;
  else if (typeof params.missingProperty === 'string') detail = `needs the field "${params.missingProperty}"`;
  return new HttpError(400, `${where} ${detail}`);
}
