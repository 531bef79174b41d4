import { missingGradientRules } from '../autodiff/coverage.js';
import { bytesPerElement, dtypeFromOnnx, isFloat, onnxDTypeName } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import type { Model } from '../onnx/ir/model.js';
import type { Dim, ValueInfo } from '../onnx/ir/value.js';
import { protoDims } from '../onnx/ir/tensor-proto.js';
import { prepareModel, type PrepareOptions } from '../engine/prepare.js';

export interface TensorSummary {
  name: string;
  dtype: string;
  /** null when even the rank is unknown; dims are numbers, symbols, or null. */
  shape: Dim[] | null;
}

export interface HookSummary extends TensorSummary {
  /** The op type that produces the tensor. */
  op: string;
}

export interface ModelSummary {
  producer: string | null;
  irVersion: number;
  /** ai.onnx opset of the file. */
  opset: number;
  opsets: Record<string, number>;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  parameters: { count: number; tensors: number; bytes: number };
  nodes: number;
  /** Op histogram of the file as written. */
  ops: Record<string, number>;
  /** Float tensors of the canonical graph that can be exposed, cut at or attributed to. */
  hookable: HookSummary[];
  /** Ops of the canonical graph that have no gradient rule yet. */
  gradients: { missing: string[] };
  shapes: { known: number; total: number; probed: boolean };
}

export type SummaryOptions = PrepareOptions;

/** Everything `glassbox inspect` reports about a model. */
export async function summarizeModel(model: Model, options: SummaryOptions = {}): Promise<ModelSummary> {
  const { model: canonical, probed } = await prepareModel(model, options);
  const graph = canonical.graph;
  const hookNodes = graph.nodes.filter((n) => n.opType !== 'Constant');
  const produced = hookNodes.flatMap((n) => n.outputs.filter(Boolean).map((name) => ({ name, op: n.opType })));
  let parameters = 0, tensors = 0, bytes = 0;
  for (const proto of graph.initializers.values()) {
    const dtype = dtypeFromOnnx(proto.data_type ?? 0);
    if (!dtype || !isFloat(dtype)) continue;
    const n = sizeOf(protoDims(proto));
    parameters += n;
    tensors++;
    bytes += n * bytesPerElement(dtype);
  }
  const ops: Record<string, number> = {};
  for (const node of model.graph.nodes) ops[node.opType] = (ops[node.opType] ?? 0) + 1;
  const hookable = produced
    .map(({ name, op }) => ({ ...describe(graph.typeOf(name) ?? { name }), op }))
    .filter((h) => h.dtype.startsWith('float') || h.dtype === 'unknown');
  return {
    producer: model.producerName ? `${model.producerName}${model.producerVersion ? ` ${model.producerVersion}` : ''}` : null,
    irVersion: model.irVersion,
    opset: model.opset,
    opsets: Object.fromEntries([...model.opsets].map(([d, v]) => [d || 'ai.onnx', v])),
    inputs: model.graph.feedInputs.map(describe),
    outputs: model.graph.outputs.map((o) => describe(graph.typeOf(o.name) ?? o)),
    parameters: { count: parameters, tensors, bytes },
    nodes: model.graph.nodes.length,
    ops,
    hookable,
    gradients: { missing: missingGradientRules(graph.nodes.map((n) => n.opType)) },
    shapes: { known: produced.filter(({ name }) => isFullyKnown(graph.typeOf(name))).length, total: produced.length, probed },
  };
}

function isFullyKnown(info: ValueInfo | undefined): boolean {
  return info?.elemType !== undefined && info.shape !== undefined && info.shape.every((d) => d !== null);
}

function describe(info: ValueInfo): TensorSummary {
  return {
    name: info.name,
    dtype: info.elemType === undefined ? 'unknown' : onnxDTypeName(info.elemType),
    shape: info.shape ? [...info.shape] : null,
  };
}
