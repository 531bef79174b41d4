/**
 * Where a text model turns token ids into vectors: the tensor attributions are computed for.
 *
 * The heuristic (when no tensor is named and the model has no 'embeddings' value, the hook our
 * recipes put there):
 * 1. the token lookup is the Gather of a constant float table [vocabulary, d] by an integer graph
 *    input — the input named by `inputName`, else 'input_ids', else the first such Gather;
 * 2. the cut point is that lookup plus the embeddings added to it right after: while the
 *    current tensor's only reader is an Add whose other operand is itself a table lookup (a
 *    Gather of a constant float table, possibly through Unsqueeze/Reshape/Expand/Squeeze/Cast/
 *    Identity/Slice) — position and token-type embeddings — or a constant table [seq, d] or
 *    [1, seq, d] (learned positions added as a parameter), the cut moves to that Add's output.
 *    It stops before any normalisation (BERT's embedding LayerNorm stays on the model's side).
 * A table looked up by indices that are not a graph input (positions from the ids' shape) bounds
 * the sequence length by its number of rows.
 */
import type { Model } from '../../onnx/ir/model.js';
import type { Node } from '../../onnx/ir/node.js';
import { protoDims } from '../../onnx/ir/tensor-proto.js';
import { GlassboxError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';

export interface EmbeddingCut {
  /** The tensor to attribute to. */
  tensor: string;
  /** The graph input that carries the token ids. */
  idsInput: string;
  /** How the cut was found. */
  how: 'named' | 'recipe' | 'detected';
  /** The most tokens the model can read (rows of its position table), when known. */
  maxPositions?: number;
  /** Rows of the token table the ids index, when found. */
  vocabularySize?: number;
}

/** Recipes trained here name their embedding output so (src/train/recipes/encoder.ts). */
export const RECIPE_EMBEDDING = 'embeddings';

const PASS_THROUGH = new Set(['Unsqueeze', 'Reshape', 'Expand', 'Squeeze', 'Cast', 'Identity']);
const INT_TYPES = new Set([6, 7]); // ONNX INT32, INT64
const FLOAT_TYPES = new Set([1, 10, 11, 16]); // FLOAT, FLOAT16, DOUBLE, BFLOAT16

export function findEmbeddingCut(model: Model, options: { embedding?: string; inputName?: string } = {}): EmbeddingCut {
  const graph = model.graph;
  const intInputs = graph.feedInputs.filter((i) => i.elemType !== undefined && INT_TYPES.has(i.elemType)).map((i) => i.name);
  if (options.inputName !== undefined && !intInputs.includes(options.inputName)) {
    throw new GlassboxError('bad-input', `the model has no integer input "${options.inputName}"${didYouMean(options.inputName, intInputs)} (its integer inputs: ${intInputs.map((n) => `"${n}"`).join(', ') || 'none'})`);
  }
  if (intInputs.length === 0) {
    throw new GlassboxError('not-applicable', `the model has no integer token-id input (inputs: ${graph.feedInputs.map((i) => `"${i.name}"`).join(', ')}); a text model reads token ids`);
  }
  const values = graph.valueNames();
  const idsInput = options.inputName ?? (intInputs.includes('input_ids') ? 'input_ids' : intInputs[0]!);
  const chain = lookupChain(model, options.inputName ?? (intInputs.includes('input_ids') ? 'input_ids' : undefined), intInputs);
  const result = (tensor: string, how: EmbeddingCut['how'], input = idsInput): EmbeddingCut => {
    const maxPositions = chain && chain.tensors.includes(tensor) ? chain.maxPositions : undefined;
    const vocabularySize = chain && chain.idsInput === input ? chain.vocabularySize : undefined;
    return { tensor, idsInput: input, how, ...(maxPositions !== undefined ? { maxPositions } : {}), ...(vocabularySize !== undefined ? { vocabularySize } : {}) };
  };
  if (options.embedding !== undefined) {
    if (!values.has(options.embedding)) throw new GlassboxError('bad-tensor-name', `the model has no tensor named "${options.embedding}"${didYouMean(options.embedding, values)}`);
    return result(options.embedding, 'named');
  }
  if (values.has(RECIPE_EMBEDDING)) return result(RECIPE_EMBEDDING, 'recipe');
  if (chain) return result(chain.tensors[chain.tensors.length - 1]!, 'detected', chain.idsInput);
  throw new GlassboxError(
    'not-applicable',
    `a model with no embedding cut point: no Gather looks token ids from ${intInputs.map((n) => `"${n}"`).join(', ')} up in a weight table; ` +
      `name the embedding tensor (forText(model, { embedding: '<tensor>' }), --embedding <tensor> on the CLI); candidates: ${candidates(model, intInputs)}`,
  );
}

interface Chain {
  idsInput: string;
  /** The token lookup's output, then each Add that adds another lookup to it. */
  tensors: string[];
  maxPositions?: number;
  vocabularySize: number;
}

/** The token lookup on `preferred` (or the first on any integer input) and the embeddings added to it. */
function lookupChain(model: Model, preferred: string | undefined, intInputs: readonly string[]): Chain | undefined {
  const graph = model.graph;
  const producers = graph.producers();
  const consumers = graph.consumers();
  const constantTable = (name: string): number[] | undefined => {
    // Weights are initializers, or Constant nodes in models not yet normalised (Paddle's).
    const node = producers.get(name)?.node;
    const proto = graph.initializers.get(name) ?? (node?.opType === 'Constant' ? node.tensor('value') : undefined);
    return proto && FLOAT_TYPES.has(proto.data_type ?? 0) ? protoDims(proto) : undefined;
  };
  const isLookup = (node: Node | undefined): node is Node => !!node && node.opType === 'Gather' && node.int('axis', 0) === 0 && constantTable(node.inputs[0]!)?.length === 2;
  const order = graph.topologicalOrder();
  const token = order.find((n) => isLookup(n) && (preferred ? n.inputs[1] === preferred : intInputs.includes(n.inputs[1]!)));
  if (!token) return undefined;
  const tensors = [token.outputs[0]!];
  let maxPositions: number | undefined;
  for (;;) {
    const current = tensors[tensors.length - 1]!;
    const readers = consumers.get(current) ?? [];
    const add = readers.length === 1 && readers[0]!.opType === 'Add' ? readers[0]! : undefined;
    if (!add) break;
    const other = add.inputs[0] === current ? add.inputs[1]! : add.inputs[0]!;
    let source = other;
    let node = producers.get(source)?.node;
    while (node && (PASS_THROUGH.has(node.opType) || node.opType === 'Slice')) {
      source = node.inputs[0]!;
      node = producers.get(source)?.node;
    }
    if (isLookup(node)) {
      // A table looked up by computed indices (positions) limits how many tokens the model reads.
      if (!graph.feedInputs.some((i) => i.name === node.inputs[1])) {
        const rows = constantTable(node.inputs[0]!)![0]!;
        maxPositions = Math.min(maxPositions ?? Infinity, rows);
      }
    } else {
      // Learned positions added as a parameter ([seq, d] or [1, seq, d], possibly sliced to the
      // sequence: `x + self.pos[:, :seq]`); its rows bound the length.
      const dims = constantTable(source);
      if (!dims || dims.length < 2 || dims.length > 3 || dims.slice(0, -2).some((d) => d !== 1)) break;
      maxPositions = Math.min(maxPositions ?? Infinity, dims[dims.length - 2]!);
    }
    tensors.push(add.outputs[0]!);
  }
  const vocabularySize = constantTable(token.inputs[0]!)![0]!;
  return { idsInput: token.inputs[1]!, tensors, vocabularySize, ...(maxPositions !== undefined ? { maxPositions } : {}) };
}

/** Tensors near the token-id inputs that might be embeddings: the outputs of the nodes reading them, and of the nodes after those. */
function candidates(model: Model, intInputs: readonly string[]): string {
  const consumers = model.graph.consumers();
  const found: string[] = [];
  let frontier = [...intInputs];
  for (let depth = 0; depth < 2 && found.length < 8; depth++) {
    const next: string[] = [];
    for (const v of frontier) for (const n of consumers.get(v) ?? []) for (const o of n.outputs) if (o && !found.includes(o)) (found.push(o), next.push(o));
    frontier = next;
  }
  return found.length ? found.slice(0, 8).map((n) => `"${n}"`).join(', ') : 'none (nothing reads the token ids)';
}
