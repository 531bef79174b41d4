/**
 * Captum parity of the layer and neuron methods (LayerGradCam, GuidedGradCam,
 * LayerIntegratedGradients, LayerConductance, LayerActivation, NeuronGradient,
 * NeuronIntegratedGradients) on the MLP, CNN and Transformer of test/fixtures/attribution,
 * against float64 references computed with Captum's definitions
 * (scripts/fixtures/export_attributions.py).
 */
import { afterAll, describe, it } from 'vitest';
import {
  GuidedGradCam, LayerActivation, LayerConductance, LayerGradCam, LayerIntegratedGradients,
} from '../../../../src/attribution/layer/index.js';
import { NeuronGradient, NeuronIntegratedGradients } from '../../../../src/attribution/neuron/index.js';
import type { AttributionResult } from '../../../../src/attribution/types.js';
import type { Tensor } from '../../../../src/tensor/tensor.js';
import { casesOf, compare, fixture, inputFor, MODELS, optionsFor, summary, type Case, type Fixture, type Tolerance } from './captum.js';

const FILE = 'layer';

/**
 * float32 onnxruntime against float64 references: ~1e-7 relative per value (see
 * gradient.test.ts), so 1e-5 (measured: at most 2e-7). LayerConductance multiplies gradients by
 * differences of consecutive float32 layer values (A_{k+1} − A_k, each ~A/n), which could cost
 * ~log10(n) digits; measured at n = 50 it stays at 1e-7, so it keeps the same bound.
 */
function tolerance(_c: Case): Tolerance {
  return { attr: 1e-5, delta: 1e-5 };
}

type Method = { attribute(x: Tensor, options: never): Promise<AttributionResult> };

function methodFor(f: Fixture, c: Case): Method {
  const ex = f.explainable;
  const layer = f.layers[c.layer!]!;
  switch (c.method) {
    case 'LayerGradCam': return new LayerGradCam(ex, layer) as Method;
    case 'GuidedGradCam': return new GuidedGradCam(ex, layer) as Method;
    case 'LayerIntegratedGradients': return new LayerIntegratedGradients(ex, layer) as Method;
    case 'LayerConductance': return new LayerConductance(ex, layer) as Method;
    case 'LayerActivation': return new LayerActivation(ex, layer) as Method;
    case 'NeuronGradient': return new NeuronGradient(ex, layer) as Method;
    case 'NeuronIntegratedGradients': return new NeuronIntegratedGradients(ex, layer) as Method;
    default: throw new Error(`not a layer method: ${c.method}`);
  }
}

const METHODS = ['LayerGradCam', 'GuidedGradCam', 'LayerIntegratedGradients', 'LayerConductance', 'LayerActivation', 'NeuronGradient', 'NeuronIntegratedGradients'];

for (const name of MODELS) {
  describe(`Captum parity, layer and neuron methods: ${name}`, async () => {
    const f = await fixture(name);
    for (const c of casesOf(f, METHODS)) {
      it(c.id, async () => {
        const options = optionsFor(f, c);
        // LayerActivation takes no target; the neuron methods neither.
        if (['LayerActivation', 'NeuronGradient', 'NeuronIntegratedGradients'].includes(c.method)) delete options.target;
        // From token ids (Captum's LayerIG over the embedding layer) the ids are the input itself.
        if (c.inputFrom === 'rawInputs') delete options.additionalForwardArgs;
        const result = await methodFor(f, c).attribute(inputFor(f, c), options as never);
        compare(f, c, result, tolerance(c), FILE);
      });
    }
  });
}

afterAll(async () => {
  console.log(`layer/neuron parity (relative errors):\n${summary(FILE)}`);
  for (const name of MODELS) await (await fixture(name)).explainable.release();
});
