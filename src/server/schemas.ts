/**
 * JSON schema pieces the routes share. Params and query values arrive as strings and are not
 * coerced (the app's Ajv has coerceTypes off, so a body's "steps": "50" is refused too): steps
 * are matched by pattern and parsed by `stepOf`.
 */
export const RUN_ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$' } as const;
export const STEP = { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' } as const;

export const RUN_PARAMS = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: RUN_ID },
} as const;

export const CHECKPOINT_PARAMS = {
  type: 'object',
  required: ['id', 'step'],
  additionalProperties: false,
  properties: { id: RUN_ID, step: STEP },
} as const;

export function stepOf(value: string): number {
  return Number(value);
}

export interface RunParams {
  id: string;
}

export interface CheckpointParams extends RunParams {
  step: string;
}
