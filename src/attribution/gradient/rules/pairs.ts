/**
 * What DeepLift's rescale rules share. DeepLift runs each chunk as one batch [inputs; baselines]
 * (Captum's layout), so inside the backward graph the first half of every batch-leading tensor
 * holds the inputs' values and the second half their references; a multiplier computed from
 * the two halves serves both, as Captum's hooks apply it to both.
 */
import { GlassboxError } from '../../../util/errors.js';
import type { GradContext } from '../../../autodiff/types.js';

/** The two halves of a batch-leading tensor: [inputs' values, references' values]. */
export function halves(g: GradContext, name: string): [string, string] {
  const [a, b] = g.ops('Split', [name], { axis: 0, num_outputs: 2 }, 2);
  return [a!, b!];
}

/** Both halves' difference a − b, repeated for both halves (Captum's torch.cat(2 * [delta])). */
export function pairDelta(g: GradContext, name: string): string {
  const [a, b] = halves(g, name);
  return twice(g, g.op('Sub', [a, b]));
}

export function twice(g: GradContext, half: string): string {
  return g.op('Concat', [half, half], { axis: 0 });
}

/**
 * numerator / Δin, or where |Δin| < eps (the input equals its reference) the ordinary gradient,
 * as Captum's torch.where(abs(delta_in) < eps, grad_input, ...).
 */
export function rescaled(g: GradContext, deltaIn: string, numerator: string, ordinary: string, eps: number): string {
  const near = g.op('Less', [g.op('Abs', [deltaIn]), g.scalar(eps, g.I(0))]);
  return g.op('Where', [near, ordinary, g.op('Div', [numerator, deltaIn])]);
}

/**
 * Pairing rows by halves is right only where axis 0 runs over the batch (possibly merged with
 * later axes, as attention's [batch·heads, …]). A static first axis, or one named without the
 * batch symbol (a sequence-first layout), would pair the wrong values: refused.
 */
export function checkBatchAxis(g: GradContext, name: string, batch: string | undefined): void {
  const d = g.shape(name)[0];
  const batchFirst = typeof d === 'number' ? false : typeof d !== 'string' || !batch || new RegExp(`(^|[^A-Za-z0-9_])${escape(batch)}($|[^A-Za-z0-9_])`).test(d);
  if (!batchFirst) {
    throw new GlassboxError('not-applicable', `DeepLift pairs each input row with its baseline row along the batch axis, but the input of ${g.node.describe()} has first axis ${String(d)}, not the batch; leave ${g.node.opType} out of the rescaled ops`);
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
