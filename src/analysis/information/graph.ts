/**
 * The optimisation graph: one ONNX model per (model, input, layers) that computes, from r, the
 * noise ε and the clean input x, every layer's loss, whose gradient w.r.t. r the gradient
 * builder then adds. With L layers and K noise draws per step it runs L·K noisy rows at once:
 *
 *   σ      = scale · Sigmoid(r)                     r [L, U]: one row of units per layer
 *   σ_e    = Gather(Concat(σ, 0), units, axis 1)    σ per input element ([L, ...map]); index U
 *                                                   is the 0 column: elements without a unit
 *   input  = Reshape(x + Unsqueeze(σ_e, 1) · ε)      ε [1, K, ...rest] → rows [L·K, ...rest]
 *   ... the model, cut at `input`, up to the layers ...
 *   fit_l  = ReduceMean((rows_l(Φ_l) − Φ_l(x))² · 1/s_l²)    rows_l: the K rows of layer l
 *   loss_l = fit_l + λ · ReduceMean(Softplus(−r_l))          −log sigmoid(r) = softplus(−r)
 *   loss   = Σ_l loss_l                                        (layers do not share r)
 *
 * The K draws are shared by the layers (each layer's optimisation still sees independent draws
 * from step to step; sharing them across layers, which never meet, only saves drawing them L
 * times). rows_l moves the layer's batch axis first (layout.ts), views the value as [L, K·n] and takes
 * row l, then [K, n]. Φ_l(x) and 1/s_l² come in as inputs [n] in that same order. x, scale and λ
 * are inputs too, so one graph serves every sentence and setting; all dims stay symbolic.
 */
import { GraphBuilder } from '../../onnx/builder.js';
import { cloneModel } from '../../onnx/edit/clone.js';
import { pruneGraph } from '../../onnx/edit/dead-code.js';
import type { Model } from '../../onnx/ir/model.js';
import type { ValueInfo } from '../../onnx/ir/value.js';
import { inferShapes } from '../../onnx/shapes/index.js';
import { Tensor } from '../../tensor/tensor.js';
import { GlassboxError } from '../../util/errors.js';
import { axisFirstPerm } from './rows.js';

export interface GraphLayer {
  layer: string;
  batchAxis: number;
  rank: number;
}

export interface InformationGraph {
  /** The forward model (no gradients yet), prepared: canonical, shapes inferred. */
  model: Model;
  layers: readonly string[];
  /** Input names. */
  r: string;
  noise: string;
  x: string;
  units: string;
  scale: string;
  lambda: string;
  /** Per layer: Φ_l(x) and 1/s_l², flat [n] in the layer's batch-first order. */
  clean: string[];
  inverseSquare: string[];
  /** Outputs: the summed loss (differentiated) and the per-layer losses [L]. */
  loss: string;
  losses: string;
  /** What the cut model reads besides the input (token ids...), one row per noisy row. */
  extraInputs: ValueInfo[];
}

/**
 * `cut`: the prepared model cut at `input` (a graph input of it), reading only what it needs.
 * `shared`: per non-batch input axis, whether σ is shared along it (the unit map has size 1
 * there): those dims are declared 1, because the gradient builder sums a broadcast gradient
 * back only over dims it knows to be 1. A graph thus serves unit maps of one sharing pattern.
 */
export function buildInformationGraph(cut: Model, input: string, layers: readonly GraphLayer[], shared: readonly boolean[]): InformationGraph {
  const model = cloneModel(cut);
  const graph = model.graph;
  const declared = graph.inputs.find((i) => i.name === input);
  if (!declared?.shape) throw new GlassboxError('unknown-shape', `the shape of "${input}" is unknown`);
  const rest = declared.shape.slice(1);
  const L = layers.length;
  // The input becomes a value the noise nodes produce; its declaration guides shape inference.
  graph.inputs = graph.inputs.filter((i) => i.name !== input);
  graph.valueInfo.set(input, { ...declared });
  const extraInputs = graph.inputs.filter((i) => !graph.initializers.has(i.name)).map((i) => ({ ...i }));

  const b = new GraphBuilder(graph);
  const ints = (hint: string, values: number[], shape = [values.length]) => b.constant(hint, Tensor.int64(shape, values));
  const r = b.input(b.fresh('information/r'), 'float32', [L, 'information_units']);
  const noise = b.input(b.fresh('information/noise'), 'float32', [1, 'information_draws', ...rest]);
  const x = b.input(b.fresh('information/x'), 'float32', [1, ...rest]);
  const units = b.input(b.fresh('information/units'), 'int64', rest.map((_, i) => (shared[i] ? 1 : `information_map${i}`)));
  const scale = b.input(b.fresh('information/scale'), 'float32', []);
  const lambda = b.input(b.fresh('information/lambda'), 'float32', []);

  const existing = new Set(graph.nodes);
  const sigma = b.op('Mul', [b.op('Sigmoid', [r]), scale]);
  const withZero = b.op('Concat', [sigma, b.constant('information/no_unit', Tensor.float32([L, 1]))], { axis: 1 });
  const perElement = b.op('Unsqueeze', [b.op('Gather', [withZero, units], { axis: 1 }), ints('information/axis1', [1])]);
  const noisy = b.op('Add', [b.op('Mul', [perElement, noise]), x]);
  const rowShape = b.op('Concat', [ints('information/minus1', [-1]), b.op('Shape', [x], { start: 1 })], { axis: 0 });
  b.op('Reshape', [noisy, rowShape], {}, { outputs: [input] });
  // The noise nodes read graph inputs only: they go first, so the node list stays topological.
  const added = graph.nodes.filter((n) => !existing.has(n));
  graph.nodes = [...added, ...graph.nodes.filter((n) => existing.has(n))];

  const clean: string[] = [];
  const inverseSquare: string[] = [];
  const perLayer = layers.map(({ layer, batchAxis, rank }, l) => {
    const phi0 = b.input(b.fresh(`information/clean_${l}`), 'float32', [`information_size${l}`]);
    const inv = b.input(b.fresh(`information/inverse_square_${l}`), 'float32', [`information_size${l}`]);
    clean.push(phi0);
    inverseSquare.push(inv);
    const first = batchAxis === 0 ? layer : b.op('Transpose', [layer], { perm: axisFirstPerm(batchAxis, rank) });
    const rows = b.op('Gather', [b.op('Reshape', [first, ints('information/layers_rows', [L, -1])]), b.constant(`information/layer_${l}`, Tensor.int64([], [l]))], { axis: 0 });
    const draws = b.op('Reshape', [rows, b.op('Concat', [ints('information/minus1', [-1]), b.op('Shape', [phi0])], { axis: 0 })]);
    const diff = b.op('Sub', [draws, phi0]);
    const fit = b.op('ReduceMean', [b.op('Mul', [b.op('Mul', [diff, diff]), inv])], { keepdims: 0 });
    const ownR = b.op('Gather', [r, b.constant(`information/layer_${l}`, Tensor.int64([], [l]))], { axis: 0 });
    const entropy = b.op('ReduceMean', [b.op('Softplus', [b.op('Neg', [ownR])])], { keepdims: 0 });
    return b.op('Unsqueeze', [b.op('Add', [fit, b.op('Mul', [entropy, lambda])]), ints('information/axis0', [0])]);
  });
  const losses = b.op('Concat', perLayer, { axis: 0 });
  const loss = b.op('ReduceSum', [losses], { keepdims: 0 });
  graph.outputs = [
    { name: loss, elemType: 1, shape: [] },
    { name: losses, elemType: 1, shape: [L] },
  ];
  pruneGraph(graph);
  inferShapes(model);
  return { model, layers: layers.map((l) => l.layer), r, noise, x, units, scale, lambda, clean, inverseSquare, loss, losses, extraInputs };
}
