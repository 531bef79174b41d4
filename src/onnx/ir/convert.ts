/**
 * ModelProto ⇄ Model. Decoding then encoding an unedited model reproduces the original bytes:
 * everything the IR does not model explicitly is carried along verbatim.
 */
import { int64ToNumber, numberToInt64 } from '../proto/codec.js';
import {
  AttributeType as AT, type AttributeProto, type DimensionProto, type GraphProto, type ModelProto,
  type NodeProto, type TypeProto, type ValueInfoProto,
} from '../proto/types.js';
import type { Attribute } from './attribute.js';
import { Graph } from './graph.js';
import { Model } from './model.js';
import { Node } from './node.js';
import type { Dim, ValueInfo } from './value.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function modelFromProto(proto: ModelProto): Model {
  const model = new Model({
    graph: graphFromProto(proto.graph ?? emptyGraphProto()),
    irVersion: int64ToNumber(proto.ir_version),
    opsets: new Map(proto.opset_import.map((o) => [o.domain ?? '', int64ToNumber(o.version)])),
  });
  if (has(proto, 'producer_name')) model.producerName = proto.producer_name!;
  if (has(proto, 'producer_version')) model.producerVersion = proto.producer_version!;
  if (has(proto, 'domain')) model.domain = proto.domain!;
  if (has(proto, 'model_version')) model.modelVersion = int64ToNumber(proto.model_version);
  if (has(proto, 'doc_string')) model.docString = proto.doc_string!;
  model.metadataProps = proto.metadata_props;
  model.opsetProtos = proto.opset_import;
  model.functions = proto.functions;
  model.trainingInfo = proto.training_info;
  return model;
}

export function modelToProto(model: Model): ModelProto {
  const proto: ModelProto = {
    ir_version: model.irVersion,
    opset_import: [...model.opsets].map(([domain, version]) =>
      model.opsetProtos.find((o) => (o.domain ?? '') === domain && int64ToNumber(o.version) === version) ?? (domain ? { domain, version } : { version })),
    graph: graphToProto(model.graph),
    metadata_props: model.metadataProps,
    training_info: model.trainingInfo,
    functions: model.functions,
  };
  if (model.producerName !== undefined) proto.producer_name = model.producerName;
  if (model.producerVersion !== undefined) proto.producer_version = model.producerVersion;
  if (model.domain !== undefined) proto.domain = model.domain;
  if (model.modelVersion !== undefined) proto.model_version = numberToInt64(model.modelVersion);
  if (model.docString !== undefined) proto.doc_string = model.docString;
  return proto;
}

export function graphFromProto(proto: GraphProto): Graph {
  const graph = new Graph({
    name: proto.name ?? '',
    nodes: proto.node.map(nodeFromProto),
    inputs: proto.input.map(valueInfoFromProto),
    outputs: proto.output.map(valueInfoFromProto),
    initializers: new Map(proto.initializer.map((t) => [t.name ?? '', t])),
    valueInfo: new Map(proto.value_info.map((v) => [v.name ?? '', valueInfoFromProto(v)])),
  });
  if (proto.name === '' && has(proto, 'name')) graph.keepEmpty = true;
  if (has(proto, 'doc_string')) graph.docString = proto.doc_string!;
  graph.sparseInitializers = proto.sparse_initializer;
  graph.quantizationAnnotation = proto.quantization_annotation;
  graph.metadataProps = proto.metadata_props;
  return graph;
}

export function graphToProto(graph: Graph): GraphProto {
  const proto: GraphProto = {
    node: graph.nodes.map(nodeToProto),
    initializer: [...graph.initializers].map(([name, t]) => (t.name === name ? t : { ...t, name })),
    sparse_initializer: graph.sparseInitializers,
    input: graph.inputs.map(valueInfoToProto),
    output: graph.outputs.map(valueInfoToProto),
    value_info: [...graph.valueInfo.values()].map(valueInfoToProto),
    quantization_annotation: graph.quantizationAnnotation,
    metadata_props: graph.metadataProps,
  };
  if (graph.name || graph.keepEmpty) proto.name = graph.name;
  if (graph.docString !== undefined) proto.doc_string = graph.docString;
  return proto;
}

function nodeFromProto(proto: NodeProto): Node {
  const node = new Node({
    opType: proto.op_type ?? '',
    inputs: [...proto.input],
    outputs: [...proto.output],
    name: proto.name ?? '',
    domain: proto.domain ?? '',
    attributes: new Map(proto.attribute.map((a) => [a.name ?? '', attributeFromProto(a)])),
  });
  // Remember empty strings that were written explicitly, so that encoding writes them again.
  if (proto.name === '' && has(proto, 'name')) node.keepEmpty.add('name');
  if (proto.domain === '' && has(proto, 'domain')) node.keepEmpty.add('domain');
  if (has(proto, 'doc_string')) node.docString = proto.doc_string!;
  if (has(proto, 'overload')) node.overload = proto.overload!;
  if (proto.metadata_props.length > 0) node.metadataProps = proto.metadata_props;
  return node;
}

function nodeToProto(node: Node): NodeProto {
  const proto: NodeProto = {
    input: node.inputs,
    output: node.outputs,
    attribute: [...node.attributes].map(([name, attr]) => attributeToProto(name, attr)),
    metadata_props: node.metadataProps ?? [],
  };
  if (node.name || node.keepEmpty.has('name')) proto.name = node.name;
  proto.op_type = node.opType;
  if (node.domain || node.keepEmpty.has('domain')) proto.domain = node.domain;
  if (node.overload !== undefined) proto.overload = node.overload;
  if (node.docString !== undefined) proto.doc_string = node.docString;
  return proto;
}

function attributeFromProto(proto: AttributeProto): Attribute {
  const attr = attributeValue(proto);
  if (has(proto, 'doc_string')) attr.docString = proto.doc_string!;
  return attr;
}

function attributeValue(p: AttributeProto): Attribute {
  if (p.ref_attr_name) return { type: 'ref', value: p };
  switch (p.type ?? inferAttributeType(p)) {
    // A declared type whose field is absent reads as the field's default (0, 0, '').
    case AT.FLOAT: return { type: 'float', value: has(p, 'f') ? p.f! : 0 };
    case AT.INT: return { type: 'int', value: has(p, 'i') ? int64ToNumber(p.i) : 0 };
    case AT.STRING: return { type: 'string', value: has(p, 's') ? decoder.decode(p.s) : '' };
    case AT.TENSOR: return p.t ? { type: 'tensor', value: p.t } : { type: 'ref', value: p };
    case AT.GRAPH: return p.g ? { type: 'graph', value: graphFromProto(p.g) } : { type: 'ref', value: p };
    case AT.FLOATS: return { type: 'floats', value: [...p.floats] };
    case AT.INTS: return { type: 'ints', value: p.ints.map((i) => int64ToNumber(i)) };
    case AT.STRINGS: return { type: 'strings', value: p.strings.map((s) => decoder.decode(s)) };
    case AT.TENSORS: return { type: 'tensors', value: p.tensors };
    case AT.GRAPHS: return { type: 'graphs', value: p.graphs.map(graphFromProto) };
    case AT.SPARSE_TENSOR: return p.sparse_tensor ? { type: 'sparse_tensor', value: p.sparse_tensor } : { type: 'ref', value: p };
    case AT.SPARSE_TENSORS: return { type: 'sparse_tensors', value: p.sparse_tensors };
    case AT.TYPE_PROTO: return p.tp ? { type: 'type_proto', value: p.tp } : { type: 'ref', value: p };
    case AT.TYPE_PROTOS: return { type: 'type_protos', value: p.type_protos };
    default: return { type: 'ref', value: p };
  }
}

/** IR version 1 files did not record the attribute type; find it from the field in use. */
function inferAttributeType(p: AttributeProto): number {
  if (has(p, 'f')) return AT.FLOAT;
  if (has(p, 'i')) return AT.INT;
  if (has(p, 's')) return AT.STRING;
  if (p.t) return AT.TENSOR;
  if (p.g) return AT.GRAPH;
  if (p.floats.length) return AT.FLOATS;
  if (p.ints.length) return AT.INTS;
  if (p.strings.length) return AT.STRINGS;
  if (p.tensors.length) return AT.TENSORS;
  if (p.graphs.length) return AT.GRAPHS;
  return AT.UNDEFINED;
}

function attributeToProto(name: string, attr: Attribute): AttributeProto {
  if (attr.type === 'ref') return attr.value;
  const p: AttributeProto = {
    name, floats: [], ints: [], strings: [], tensors: [], graphs: [], sparse_tensors: [], type_protos: [],
  };
  switch (attr.type) {
    case 'float': p.f = attr.value; p.type = AT.FLOAT; break;
    case 'int': p.i = numberToInt64(attr.value); p.type = AT.INT; break;
    case 'string': p.s = encoder.encode(attr.value); p.type = AT.STRING; break;
    case 'tensor': p.t = attr.value; p.type = AT.TENSOR; break;
    case 'graph': p.g = graphToProto(attr.value); p.type = AT.GRAPH; break;
    case 'floats': p.floats = attr.value; p.type = AT.FLOATS; break;
    case 'ints': p.ints = attr.value.map(numberToInt64); p.type = AT.INTS; break;
    case 'strings': p.strings = attr.value.map((s) => encoder.encode(s)); p.type = AT.STRINGS; break;
    case 'tensors': p.tensors = attr.value; p.type = AT.TENSORS; break;
    case 'graphs': p.graphs = attr.value.map(graphToProto); p.type = AT.GRAPHS; break;
    case 'sparse_tensor': p.sparse_tensor = attr.value; p.type = AT.SPARSE_TENSOR; break;
    case 'sparse_tensors': p.sparse_tensors = attr.value; p.type = AT.SPARSE_TENSORS; break;
    case 'type_proto': p.tp = attr.value; p.type = AT.TYPE_PROTO; break;
    case 'type_protos': p.type_protos = attr.value; p.type = AT.TYPE_PROTOS; break;
  }
  if (attr.docString !== undefined) p.doc_string = attr.docString;
  return p;
}

export function valueInfoFromProto(proto: ValueInfoProto): ValueInfo {
  const info: ValueInfo = { name: proto.name ?? '', proto };
  const tensor = proto.type?.tensor_type;
  if (tensor) {
    if (has(tensor, 'elem_type')) info.elemType = tensor.elem_type!;
    if (tensor.shape) info.shape = tensor.shape.dim.map(dimFromProto);
  }
  if (has(proto, 'doc_string')) info.docString = proto.doc_string!;
  return info;
}

function dimFromProto(d: DimensionProto): Dim {
  if (has(d, 'dim_value')) return int64ToNumber(d.dim_value);
  if (has(d, 'dim_param')) return d.dim_param!;
  return null;
}

export function valueInfoToProto(info: ValueInfo): ValueInfoProto {
  if (info.proto && sameAsProto(info, info.proto)) return info.proto;
  const proto: ValueInfoProto = { name: info.name, metadata_props: info.proto?.metadata_props ?? [] };
  if (info.elemType !== undefined || info.shape !== undefined) {
    const tensorType: NonNullable<TypeProto['tensor_type']> = {};
    if (info.elemType !== undefined) tensorType.elem_type = info.elemType;
    if (info.shape !== undefined) {
      tensorType.shape = { dim: info.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : typeof d === 'string' ? { dim_param: d } : {})) };
    }
    proto.type = { tensor_type: tensorType };
  } else if (info.proto?.type) {
    proto.type = info.proto.type;
  }
  if (info.docString !== undefined) proto.doc_string = info.docString;
  return proto;
}

function sameAsProto(info: ValueInfo, proto: ValueInfoProto): boolean {
  const fresh = valueInfoFromProto(proto);
  if (fresh.name !== info.name || fresh.elemType !== info.elemType || fresh.docString !== info.docString) return false;
  if (fresh.shape === undefined || info.shape === undefined) return fresh.shape === info.shape;
  return fresh.shape.length === info.shape.length && fresh.shape.every((d, i) => d === info.shape![i]);
}

function emptyGraphProto(): GraphProto {
  return { node: [], initializer: [], sparse_initializer: [], input: [], output: [], value_info: [], quantization_annotation: [], metadata_props: [] };
}

/** Whether an optional field was present in the decoded message (not just defaulted). */
function has<T extends object>(message: T, field: keyof T & string): boolean {
  return Object.prototype.hasOwnProperty.call(message, field) && message[field] !== undefined && message[field] !== null;
}
