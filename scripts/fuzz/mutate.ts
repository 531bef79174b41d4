import { Random } from '../../src/util/random.js';
import { decodeModelProto, encodeModelProto } from '../../src/onnx/proto/codec.js';
import type { ModelProto } from '../../src/onnx/proto/types.js';

/**
 * The ways a model file gets damaged in the wild (and by adversaries), one picked per case.
 * Byte-level mutations test the decoder; 'structural' ones decode, break one field of the graph
 * (a dim, an attribute, an op type, a wiring) and re-encode, which reaches onnxruntime itself.
 */
const MUTATIONS = ['flip-bits', 'set-bytes', 'truncate', 'delete-chunk', 'duplicate-chunk', 'insert-random', 'splice', 'varint', 'structural', 'structural'] as const;
export type Mutation = (typeof MUTATIONS)[number];

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x10, 0x12, 0x1a, 0x22, 0x3a];

/**
 * A deterministic mutation of `bytes` for case `seed`: same seed, same bytes, so any failure
 * can be replayed from its seed alone.
 */
export function mutate(bytes: Uint8Array, seed: number, donor?: Uint8Array): { bytes: Uint8Array; mutation: Mutation } {
  const random = new Random(seed);
  const mutation = MUTATIONS[random.int(MUTATIONS.length)]!;
  const out = Uint8Array.from(bytes);
  const at = (): number => random.int(Math.max(1, out.length));
  switch (mutation) {
    case 'flip-bits': {
      for (let k = 1 + random.int(8); k > 0; k--) out[at()]! ^= 1 << random.int(8);
      return { bytes: out, mutation };
    }
    case 'set-bytes': {
      for (let k = 1 + random.int(4); k > 0; k--) out[at()] = INTERESTING[random.int(INTERESTING.length)]!;
      return { bytes: out, mutation };
    }
    case 'truncate':
      return { bytes: out.subarray(0, at()), mutation };
    case 'delete-chunk': {
      const start = at();
      const end = Math.min(out.length, start + 1 + random.int(64));
      return { bytes: concat(out.subarray(0, start), out.subarray(end)), mutation };
    }
    case 'duplicate-chunk': {
      const start = at();
      const chunk = out.subarray(start, Math.min(out.length, start + 1 + random.int(64)));
      const where = at();
      return { bytes: concat(out.subarray(0, where), chunk, out.subarray(where)), mutation };
    }
    case 'insert-random': {
      const noise = Uint8Array.from({ length: 1 + random.int(16) }, () => random.int(256));
      const where = at();
      return { bytes: concat(out.subarray(0, where), noise, out.subarray(where)), mutation };
    }
    case 'splice': {
      const other = donor ?? bytes;
      const cut = at();
      const from = random.int(Math.max(1, other.length));
      return { bytes: concat(out.subarray(0, cut), other.subarray(from)), mutation };
    }
    case 'varint': {
      // Rewrite a varint (a length, a dim, an enum) with a boundary value: the bytes most
      // likely to reach deep into a parser or a runtime.
      const start = at();
      let end = start;
      while (end < out.length && (out[end]! & 0x80) !== 0 && end - start < 9) end++;
      const choices = [[0x00], [0x01], [0x7f], [0xff, 0xff, 0xff, 0xff, 0x0f], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [0x80, 0x80, 0x80, 0x80, 0x08]];
      const value = Uint8Array.from(choices[random.int(choices.length)]!);
      return { bytes: concat(out.subarray(0, start), value, out.subarray(Math.min(out.length, end + 1))), mutation };
    }
    case 'structural':
      return { bytes: structural(bytes, random), mutation };
  }
}

const OPS = ['Add', 'Relu', 'Conv', 'Reshape', 'Gather', 'MatMul', 'Concat', 'Slice', 'Expand', 'Tile', 'ConstantOfShape', 'Resize', 'LSTM', 'Split', 'Transpose', 'Pad', 'TopK', 'Range', 'NonZero', 'ScatterND', 'Einsum', 'Loop', 'If'];
const BOUNDARY = [-1, 0, 1, 2, 3, -2147483648, 2147483647, 1e9, -1e9, 65536];

/** Decodes, breaks one thing in the graph, re-encodes. */
function structural(bytes: Uint8Array, random: Random): Uint8Array {
  const model: ModelProto = decodeModelProto(bytes);
  const graph = model.graph!;
  const pick = <T>(list: T[]): T | undefined => (list.length ? list[random.int(list.length)] : undefined);
  switch (random.int(8)) {
    case 0: { // an attribute integer (or list element) set to a boundary value
      const attr = pick(graph.node.flatMap((n) => n.attribute).filter((a) => a.i !== undefined || a.ints.length));
      if (attr?.ints.length) attr.ints[random.int(attr.ints.length)] = pick(BOUNDARY)!;
      else if (attr) attr.i = pick(BOUNDARY)!;
      break;
    }
    case 1: { // a node's op type swapped for another
      const node = pick(graph.node);
      if (node) node.op_type = pick(OPS)!;
      break;
    }
    case 2: { // a node input rewired to another value, or dropped
      const node = pick(graph.node);
      const values = graph.node.flatMap((n) => n.output).concat(graph.input.map((i) => i.name ?? ''));
      if (node?.input.length) {
        const i = random.int(node.input.length);
        if (random.int(2)) node.input[i] = pick(values)!;
        else node.input.splice(i, 1);
      }
      break;
    }
    case 3: { // an initializer's dims changed (data no longer fits, or reinterpreted)
      const t = pick(graph.initializer.concat(graph.node.flatMap((n) => n.attribute.map((a) => a.t!).filter(Boolean))));
      if (t?.dims.length) t.dims[random.int(t.dims.length)] = pick(BOUNDARY)!;
      break;
    }
    case 4: { // a tensor's element type changed
      const t = pick(graph.initializer.concat(graph.node.flatMap((n) => n.attribute.map((a) => a.t!).filter(Boolean))));
      if (t) t.data_type = pick([0, 1, 2, 6, 7, 8, 9, 10, 11, 14, 16, 17, 23, 99])!;
      break;
    }
    case 5: { // a graph input's declared shape or type changed
      const input = pick(graph.input);
      const dims = input?.type?.tensor_type?.shape?.dim;
      if (dims?.length) dims[random.int(dims.length)] = { dim_value: pick(BOUNDARY)! };
      else if (input?.type?.tensor_type) input.type.tensor_type.elem_type = pick([0, 7, 8, 9, 11, 99])!;
      break;
    }
    case 6: { // a node removed (its outputs left dangling)
      if (graph.node.length) graph.node.splice(random.int(graph.node.length), 1);
      break;
    }
    default: { // the opset version changed
      const opset = pick(model.opset_import);
      if (opset) opset.version = pick([1, 7, 8, 9, 13, 18, 21, 22, 30, 1000])!;
    }
  }
  return encodeModelProto(model);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
