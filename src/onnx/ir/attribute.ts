import type { AttributeProto, SparseTensorProto, TensorProto, TypeProto } from '../proto/types.js';
import type { Graph } from './graph.js';

/**
 * A node attribute, typed by its ONNX attribute type. Integers are JavaScript numbers; the
 * int64 sentinels ±2^63 survive (see numberToInt64). Tensors stay in their TensorProto form
 * until someone needs their values.
 */
export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: TensorProto }
  | { type: 'graph'; value: Graph }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensors'; value: TensorProto[] }
  | { type: 'graphs'; value: Graph[] }
  | { type: 'sparse_tensor'; value: SparseTensorProto }
  | { type: 'sparse_tensors'; value: SparseTensorProto[] }
  | { type: 'type_proto'; value: TypeProto }
  | { type: 'type_protos'; value: TypeProto[] }
  /** A reference to an attribute of the enclosing function (ref_attr_name), or an untyped attribute. */
  | { type: 'ref'; value: AttributeProto };

export type Attribute = AttributeValue & { docString?: string };

export type AttributeType = Attribute['type'];

/** Attribute values as plain JavaScript, for the builder and for rules that create nodes. */
export type AttributeInput = number | string | number[] | string[] | TensorProto | Graph | Attribute;
