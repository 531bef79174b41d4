import { GlassboxError } from '../util/errors.js';

/**
 * Runs jobs one at a time, in order. onnxruntime already uses every core for one run, so two
 * attributions at once only slow each other down (and double the memory). Past `maxWaiting`
 * queued jobs a request is refused at once rather than left hanging.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(readonly maxWaiting = 8) {}

  run<T>(job: () => Promise<T>): Promise<T> {
    if (this.waiting >= this.maxWaiting) {
      return Promise.reject(new GlassboxError('busy', `the server is busy: ${this.waiting} requests are waiting; try again in a moment`));
    }
    this.waiting++;
    const result = this.tail.then(() => job());
    // The next job waits for this one however it ends.
    this.tail = result.then(() => undefined, () => undefined).finally(() => { this.waiting--; });
    return result;
  }

  /** Requests queued or running. */
  get pending(): number {
    return this.waiting;
  }
}
