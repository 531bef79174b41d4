import type { FunctionProto, OperatorSetIdProto, StringStringEntryProto, TrainingInfoProto } from '../proto/types.js';
import type { Graph } from './graph.js';

/** The default ONNX operator set domain ('' and 'ai.onnx' are the same domain). */
export const ONNX_DOMAIN = '';

/** A model: its graph plus the versioning and metadata around it. */
export class Model {
  irVersion: number;
  /** Operator set version per domain ('' = ai.onnx), in file order. */
  opsets: Map<string, number>;
  graph: Graph;
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  metadataProps: StringStringEntryProto[] = [];
  /** Model-local functions and training info are carried through untouched. */
  functions: FunctionProto[] = [];
  trainingInfo: TrainingInfoProto[] = [];
  /** The opset_import entries as read, re-emitted while unchanged (they may spell domain '' out). */
  opsetProtos: OperatorSetIdProto[] = [];
  /** Directory that external-data locations are relative to (the model file's directory). */
  baseDir?: string;

  constructor(init: { graph: Graph; irVersion?: number; opsets?: Map<string, number> | Record<string, number>; producerName?: string }) {
    this.graph = init.graph;
    this.irVersion = init.irVersion ?? 8;
    this.opsets = init.opsets instanceof Map ? init.opsets : new Map(Object.entries(init.opsets ?? { '': 17 }));
    if (init.producerName !== undefined) this.producerName = init.producerName;
  }

  /** The ai.onnx operator set version. */
  get opset(): number {
    return this.opsets.get(ONNX_DOMAIN) ?? this.opsets.get('ai.onnx') ?? 0;
  }

  set opset(version: number) {
    if (this.opsets.has('ai.onnx')) this.opsets.set('ai.onnx', version);
    else this.opsets.set(ONNX_DOMAIN, version);
  }
}
