import { GlassboxError } from '../../util/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { AttributionResult, Baselines } from '../types.js';
import { baselineSet } from '../util/baselines.js';
import { repeatEachRow } from '../util/tensor-ops.js';
import { combineSamples, expandFeeds, expandRows, expandTarget } from './common.js';
import { DeepLift, type DeepLiftOptions } from './DeepLift.js';
import { checkInput, checkTarget } from '../util/checks.js';

export interface DeepLiftShapOptions extends DeepLiftOptions {
  /** The set of baselines (a tensor [count, ...row] or a list of rows), at least two. */
  baselines: Baselines;
}

/**
 * Captum's DeepLiftShap: DeepLift of every input row against every baseline of the set, averaged
 * over the baselines. Rows are expanded as Captum does (input rows repeat_interleave'd, the set
 * tiled); the delta, on request, is per (input row, baseline) pair, input-major: rows × count
 * values, as Captum returns it.
 */
export class DeepLiftShap extends DeepLift {
  override async attribute(input: Tensor, options: DeepLiftShapOptions): Promise<AttributionResult> {
    checkInput(input);
    const rows = input.shape[0]!;
    checkTarget(options.target, rows);
    const set = baselineSet(input, options.baselines);
    const count = set.shape[0]!;
    if (count < 2) throw new GlassboxError('bad-baseline', `DeepLiftShap needs a set of at least two baselines, got ${count} (for a single baseline use DeepLift)`);
    const result = await super.attribute(repeatEachRow(input, count), {
      ...options,
      baselines: expandRows(set, rows, 'tile'),
      target: expandTarget(options.target, count, 'interleave'),
      additionalForwardArgs: expandFeeds(options.additionalForwardArgs ?? {}, rows, count, 'interleave'),
    });
    const attributions = combineSamples(result.attributions, rows, count, 'smoothgrad');
    return result.delta ? { attributions, delta: result.delta } : { attributions };
  }
}
