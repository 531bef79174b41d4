import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';
import type { Model } from '../ir/model.js';
import type { ValueInfo } from '../ir/value.js';

/**
 * Makes intermediate tensors extra graph outputs, so one run returns them (hooks, probing,
 * layer attributions). Names already among the outputs are left alone.
 */
export function exposeOutputs(model: Model, names: Iterable<string>): Model {
  const graph = model.graph;
  const values = graph.valueNames();
  const present = new Set(graph.outputs.map((o) => o.name));
  for (const name of names) {
    if (present.has(name)) continue;
    if (!values.has(name)) throw new GlassboxError('bad-tensor-name', `the model has no tensor named "${name}"${didYouMean(name, values)}`);
    const known = graph.valueInfo.get(name);
    const info: ValueInfo = { name };
    if (known?.elemType !== undefined) info.elemType = known.elemType;
    if (known?.shape) info.shape = [...known.shape];
    graph.outputs.push(info);
    present.add(name);
  }
  return model;
}
