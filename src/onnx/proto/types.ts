/**
 * TypeScript shapes of the decoded ONNX messages (field names as in onnx.proto). Decoding keeps
 * int64 fields as `Long` so that nothing is lost; the IR converts them to numbers.
 */
/** What protobufjs hands back for an int64 field (a `Long` from the long package). */
export interface LongLike { low: number; high: number; unsigned: boolean; toNumber(): number; toString(): string }

export type Int64 = number | LongLike;
export type Bytes = Uint8Array;

export interface StringStringEntryProto { key?: string; value?: string }
export interface OperatorSetIdProto { domain?: string; version?: Int64 }

export interface TensorProto {
  dims: Int64[];
  data_type?: number;
  segment?: { begin?: Int64; end?: Int64 };
  float_data: number[];
  int32_data: number[];
  string_data: Bytes[];
  int64_data: Int64[];
  name?: string;
  doc_string?: string;
  raw_data?: Bytes;
  external_data: StringStringEntryProto[];
  data_location?: number;
  double_data: number[];
  uint64_data: Int64[];
  metadata_props: StringStringEntryProto[];
}

export interface SparseTensorProto { values?: TensorProto; indices?: TensorProto; dims: Int64[] }

export interface DimensionProto { dim_value?: Int64; dim_param?: string; denotation?: string; value?: 'dim_value' | 'dim_param' }
export interface TensorShapeProto { dim: DimensionProto[] }

export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: TensorShapeProto };
  sequence_type?: { elem_type?: TypeProto };
  map_type?: { key_type?: number; value_type?: TypeProto };
  optional_type?: { elem_type?: TypeProto };
  sparse_tensor_type?: { elem_type?: number; shape?: TensorShapeProto };
  opaque_type?: { domain?: string; name?: string };
  denotation?: string;
  value?: string;
}

export interface ValueInfoProto { name?: string; type?: TypeProto; doc_string?: string; metadata_props: StringStringEntryProto[] }

export interface AttributeProto {
  name?: string;
  ref_attr_name?: string;
  doc_string?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Bytes;
  t?: TensorProto;
  g?: GraphProto;
  sparse_tensor?: SparseTensorProto;
  tp?: TypeProto;
  floats: number[];
  ints: Int64[];
  strings: Bytes[];
  tensors: TensorProto[];
  graphs: GraphProto[];
  sparse_tensors: SparseTensorProto[];
  type_protos: TypeProto[];
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  overload?: string;
  attribute: AttributeProto[];
  doc_string?: string;
  metadata_props: StringStringEntryProto[];
}

export interface TensorAnnotation { tensor_name?: string; quant_parameter_tensor_names: StringStringEntryProto[] }

export interface GraphProto {
  node: NodeProto[];
  name?: string;
  initializer: TensorProto[];
  sparse_initializer: SparseTensorProto[];
  doc_string?: string;
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info: ValueInfoProto[];
  quantization_annotation: TensorAnnotation[];
  metadata_props: StringStringEntryProto[];
}

export interface TrainingInfoProto {
  initialization?: GraphProto;
  algorithm?: GraphProto;
  initialization_binding: StringStringEntryProto[];
  update_binding: StringStringEntryProto[];
}

export interface FunctionProto {
  name?: string;
  input: string[];
  output: string[];
  attribute: string[];
  attribute_proto: AttributeProto[];
  node: NodeProto[];
  doc_string?: string;
  opset_import: OperatorSetIdProto[];
  domain?: string;
  overload?: string;
  value_info: ValueInfoProto[];
  metadata_props: StringStringEntryProto[];
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props: StringStringEntryProto[];
  training_info: TrainingInfoProto[];
  functions: FunctionProto[];
}

/** AttributeProto.AttributeType codes. */
export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;
