import type { Model } from '../onnx/ir/model.js';
import type { Dim, ValueInfo } from '../onnx/ir/value.js';
import { normalize } from '../onnx/normalize/index.js';
import { inferShapes } from '../onnx/shapes/index.js';
import { probeShapes, type ProbeOptions } from '../runtime/probe.js';

export interface PrepareOptions {
  /** Probe shapes by running the model when static inference leaves some open (default true). */
  probe?: boolean;
  probeOptions?: ProbeOptions;
}

export interface PreparedModel {
  /** The canonical form, with element types and shapes recorded for every value found. */
  model: Model;
  /** Whether onnxruntime had to be run to settle some shapes. */
  probed: boolean;
  /** Intermediate bytes per batch row, when probing ran (for memory budgets). */
  bytesPerSample?: number;
}

/**
 * Brings a model into the form the engine works on: canonical opset, then static shape
 * inference, then (only for what inference could not settle) probing through onnxruntime.
 */
export async function prepareModel(model: Model, options: PrepareOptions = {}): Promise<PreparedModel> {
  const canonical = normalize(model);
  inferShapes(canonical);
  const graph = canonical.graph;
  const open = graph.nodes.flatMap((n) => n.outputs).filter((name) => name && !settled(graph.typeOf(name)));
  if (open.length === 0 || options.probe === false) return { model: canonical, probed: false };
  const report = await probeShapes(canonical, options.probeOptions);
  for (const name of open) {
    const probed = report.values.get(name);
    if (!probed) continue;
    const known = graph.typeOf(name);
    const output = graph.outputs.find((o) => o.name === name);
    if (output) output.shape = merge(known?.shape, probed.shape!);
    else graph.valueInfo.set(name, { ...probed, shape: merge(known?.shape, probed.shape!) });
  }
  return { model: canonical, probed: true, bytesPerSample: report.bytesPerSample };
}

function settled(info: ValueInfo | undefined): boolean {
  return info?.elemType !== undefined && info.shape !== undefined && info.shape.every((d) => d !== null);
}

/** Static dims and symbols from inference win; probing fills the rest. */
function merge(inferred: readonly Dim[] | undefined, probed: readonly Dim[]): Dim[] {
  if (!inferred || inferred.length !== probed.length) return [...probed];
  return inferred.map((d, i) => (d === null ? probed[i]! : d));
}
