import { GlassboxError } from '../../util/errors.js';
import { Random } from '../../util/random.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { concatBatch, Tensor } from '../../tensor/tensor.js';
import type { AttributionResult, Baselines } from '../types.js';
import { baselineSet } from '../util/baselines.js';
import { repeatEachRow } from '../util/tensor-ops.js';
import type { GradientOptions } from './base.js';
import { combineSamples, expandFeeds, expandTarget, type NoiseTunnelType } from './common.js';
import { checkInput, checkTarget } from '../util/checks.js';
import type { AttributionMethod } from '../types.js';

export type { NoiseTunnelType };

export const NOISE_TUNNEL_TYPES: readonly NoiseTunnelType[] = ['smoothgrad', 'smoothgrad_sq', 'vargrad'];

export interface NoiseTunnelOptions {
  /** How sample attributions combine: their mean, the mean of their squares, or their variance. */
  ntType?: NoiseTunnelType;
  nSamples?: number;
  /** Standard deviation of the Gaussian noise added to every input value (absolute, as in Captum). */
  stdevs?: number;
  /** Give each noisy sample a baseline drawn at random from `baselines` (a set). */
  drawBaselineFromDistrib?: boolean;
  /** Seeds the draws (default 0: the same call gives the same numbers). */
  seed?: number;
  /** Given noise instead of drawn noise: one tensor per sample, each shaped like the input. */
  noise?: readonly Tensor[];
}

/** What the wrapped method's options may hold that NoiseTunnel expands per sample. */
type InnerOptions = GradientOptions & { baselines?: Baselines };

/**
 * Captum's NoiseTunnel (SmoothGrad, SmoothGrad², VarGrad) around any method: each input row is
 * repeated nSamples times (row r's samples are rows r·n … r·n + n − 1, Captum's
 * repeat_interleave), Gaussian noise N(0, stdevs²) is added, the wrapped method attributes all
 * noisy rows in one call, and the samples' attributions are combined per row. Targets, extra
 * feeds and per-row baselines are expanded the same way; with drawBaselineFromDistrib each
 * noisy row gets a baseline drawn from the set. Draws happen in Captum's order (baseline
 * indices, then noise). A delta, when the method returns one, is per noisy row (nSamples per
 * input row, in that order), as Captum returns it.
 */
export class NoiseTunnel<O extends InnerOptions> {
  constructor(readonly method: AttributionMethod<O>) {}

  async attribute(input: Tensor, options: NoiseTunnelOptions & O = {} as NoiseTunnelOptions & O): Promise<AttributionResult> {
    const { ntType = 'smoothgrad', nSamples = 5, stdevs = 1.0, drawBaselineFromDistrib = false, seed = 0, noise, ...rest } = options;
    checkInput(input);
    if (!NOISE_TUNNEL_TYPES.includes(ntType)) throw new GlassboxError('bad-option', `unknown noise tunnel type "${ntType as string}" (use ${NOISE_TUNNEL_TYPES.join(', ')})`);
    if (!Number.isInteger(nSamples) || nSamples < 1) throw new GlassboxError('bad-option', `nSamples must be a positive integer, got ${nSamples}`);
    if (!(stdevs >= 0)) throw new GlassboxError('bad-option', `stdevs must be a non-negative number, got ${stdevs}`);
    const inner = rest as unknown as O;
    const rows = input.shape[0]!;
    checkTarget(inner.target, rows);
    const random = new Random(seed);

    const expanded: O = {
      ...inner,
      target: expandTarget(inner.target, nSamples, 'interleave'),
      ...(inner.additionalForwardArgs ? { additionalForwardArgs: expandFeeds(inner.additionalForwardArgs, rows, nSamples, 'interleave') } : {}),
      ...('baselines' in inner || drawBaselineFromDistrib ? { baselines: expandBaselines(input, inner.baselines, nSamples, drawBaselineFromDistrib, random) } : {}),
    };
    const noisy = addNoise(input, nSamples, stdevs, noise, random);
    const result = await this.method.attribute(noisy, expanded);
    const attributions = combineSamples(result.attributions, rows, nSamples, ntType);
    return result.delta ? { attributions, delta: result.delta } : { attributions };
  }
}

/** x repeated per sample plus noise: given (sample k's tensor for row r·n + k) or drawn N(0, stdevs²). */
function addNoise(input: Tensor, n: number, stdevs: number, given: readonly Tensor[] | undefined, random: Random): Tensor {
  const out = repeatEachRow(input, n);
  const data = out.data as Float32Array;
  const perRow = input.size / input.shape[0]!;
  if (given) {
    if (given.length !== n) throw new GlassboxError('bad-option', `${given.length} noise tensors given for ${n} samples (give one per sample)`);
    given.forEach((t, k) => {
      if (!sameShape(t.shape, input.shape)) throw new GlassboxError('bad-option', `noise tensor ${k} has shape ${formatShape(t.shape)} but the input has shape ${formatShape(input.shape)}`);
      const src = t.data as Float32Array | Float64Array;
      for (let r = 0; r < input.shape[0]!; r++) {
        const offset = (r * n + k) * perRow;
        for (let i = 0; i < perRow; i++) data[offset + i] += src[r * perRow + i]!;
      }
    });
  } else if (stdevs !== 0) {
    for (let i = 0; i < data.length; i++) data[i] += stdevs * random.normal();
  }
  return out;
}

/**
 * Baselines for the noisy rows (Captum's _expand_and_update_baselines): drawn from the set, one
 * per noisy row; or, when there is one per input row, repeated per sample; otherwise as given.
 */
function expandBaselines(input: Tensor, baselines: Baselines | undefined, n: number, draw: boolean, random: Random): Baselines | undefined {
  const rows = input.shape[0]!;
  if (draw) {
    const set = baselineSet(input, baselines);
    const count = set.shape[0]!;
    return concatBatch(Array.from({ length: rows * n }, () => {
      const i = random.int(count);
      return set.sliceBatch(i, i + 1);
    }));
  }
  if (baselines instanceof Tensor && rows > 1 && baselines.shape.length === input.shape.length && baselines.shape[0] === rows) return repeatEachRow(baselines, n);
  return baselines;
}
