import { GlassboxError } from '../../src/util/errors.js';
import { decodeModel } from '../../src/onnx/io.js';
import { normalize } from '../../src/onnx/normalize/index.js';
import { inferShapes } from '../../src/onnx/shapes/index.js';
import { Session } from '../../src/runtime/session.js';
import { sampleFeeds } from '../../src/runtime/sample-feeds.js';

export type Outcome = { kind: 'ok' } | { kind: 'rejected'; code: string; message: string } | { kind: 'bug'; message: string };

/**
 * What a user's command does with a model file: decode and validate it, normalise it, infer its
 * shapes, load it into onnxruntime and run it once. Every failure must be a GlassboxError;
 * anything else is a bug, and a crash or a hang is the worst kind.
 */
export async function runTarget(bytes: Uint8Array): Promise<Outcome> {
  try {
    const model = normalize(decodeModel(bytes, { source: 'fuzz' }));
    inferShapes(model);
    const session = await Session.create(model, { threads: 1 });
    try {
      await session.run(sampleFeeds(session.inputs, { batch: 2 }), { allowNaN: true });
    } finally {
      await session.release();
    }
    return { kind: 'ok' };
  } catch (error) {
    if (error instanceof GlassboxError) return { kind: 'rejected', code: error.code, message: error.message };
    return { kind: 'bug', message: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) };
  }
}
