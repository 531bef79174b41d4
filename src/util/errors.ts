/**
 * The one error type glassbox throws on purpose. Its message is a single line a user can act on
 * (the CLI prints it as-is); anything else that escapes is a bug and is reported as one.
 */
export class GlassboxError extends Error {
  override readonly name = 'GlassboxError';
  /** A stable machine-readable category, e.g. 'bad-model', 'bad-input', 'unsupported-op'. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.code = code;
  }
}

/** Throws a GlassboxError when `condition` is false. */
export function check(condition: unknown, code: string, message: string | (() => string)): asserts condition {
  if (!condition) throw new GlassboxError(code, typeof message === 'string' ? message : message());
}

/** The message of anything thrown, on one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
