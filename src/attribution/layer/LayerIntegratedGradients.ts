import { concatBatch, type Tensor } from '../../tensor/tensor.js';
import type { Model } from '../../onnx/ir/model.js';
import type { Feeds } from '../../runtime/feeds.js';
import { Explainable } from '../explainable.js';
import { expandFeeds, expandTarget } from '../gradient/common.js';
import { IntegratedGradients } from '../gradient/IntegratedGradients.js';
import type { AttributionResult, Baselines, Target } from '../types.js';
import type { IntegrationMethod } from '../util/quadrature.js';
import { rowSums } from '../util/tensor-ops.js';
import { baselineFor, forwardValues, modelFor, type CommonOptions } from './common.js';
import { checkTarget } from '../util/checks.js';

export interface LayerIntegratedGradientsOptions extends CommonOptions {
  target?: Target;
  /** Baselines in input space (for token ids: a token id, or ids shaped like the input). */
  baselines?: Baselines;
  nSteps?: number;
  method?: IntegrationMethod;
  returnConvergenceDelta?: boolean;
}

/**
 * Integrated gradients with respect to a layer (Captum's LayerIntegratedGradients, which holds
 * an IntegratedGradients): the model is cut at the layer and IG runs on the cut model from the
 * layer's value at the baselines to its value at the inputs. As with Captum's forward hook,
 * everything else the model reads — the input itself where it bypasses the layer, token ids for
 * a padding mask, extra feeds — keeps its value at the input. Given token ids, this is IG over
 * the embedding layer. The delta compares with F at the true inputs and baselines, as Captum's.
 */
export class LayerIntegratedGradients {
  /** The model cut at the layer, per source model (the attributed model, or the uncut one for ids). */
  private readonly cuts = new Map<Model, Promise<Explainable>>();

  constructor(readonly explainable: Explainable, readonly layer: string) {}

  async attribute(input: Tensor, options: LayerIntegratedGradientsOptions = {}): Promise<AttributionResult> {
    const extra = options.additionalForwardArgs ?? {};
    const rows = input.shape[0]!;
    checkTarget(options.target, rows);
    const { model, inputName } = modelFor(this.explainable, input, extra);
    const baseline = baselineFor(input, options.baselines);
    // One run gives the layer and the output at the inputs and at the baselines.
    const output = this.explainable.output;
    const both = await forwardValues(this.explainable, concatBatch([input, baseline]), [this.layer, output], expandFeeds(extra, rows, 2, 'tile'), {
      ...(options.internalBatchSize ? { batchSize: options.internalBatchSize } : {}),
    });
    const layerValues = both[this.layer]!;
    const cut = await this.cutAt(model);
    const cutExtra: Feeds = {};
    for (const name of cut.extraInputs) {
      const t = name === inputName ? input : extra[name];
      if (t) cutExtra[name] = t;
    }
    const { attributions } = await new IntegratedGradients(cut).attribute(layerValues.sliceBatch(0, rows), {
      baselines: layerValues.sliceBatch(rows, 2 * rows),
      target: options.target,
      nSteps: options.nSteps ?? 50,
      method: options.method ?? 'gausslegendre',
      additionalForwardArgs: cutExtra,
      ...(options.internalBatchSize ? { internalBatchSize: options.internalBatchSize } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (!options.returnConvergenceDelta) return { attributions };
    const f = Explainable.select(both[output]!, expandTarget(options.target, 2, 'tile'));
    const delta = rowSums(attributions).map((s, r) => s - (f[r]! - f[rows + r]!));
    return { attributions, delta };
  }

  /** Releases the sessions of the cut models (the explainable itself is the caller's). */
  async release(): Promise<void> {
    const cuts = [...this.cuts.values()];
    this.cuts.clear();
    for (const cut of cuts) await (await cut).release();
  }

  private cutAt(model: Model): Promise<Explainable> {
    let cut = this.cuts.get(model);
    if (!cut) {
      cut = Explainable.create(model, { ...this.explainable.options, input: this.layer, output: this.explainable.output });
      cut.catch(() => this.cuts.delete(model));
      this.cuts.set(model, cut);
    }
    return cut;
  }
}
