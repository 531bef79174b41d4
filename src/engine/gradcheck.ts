import { GlassboxError } from '../util/errors.js';
import { Random } from '../util/random.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { cloneModel } from '../onnx/edit/clone.js';
import { cutAt } from '../onnx/edit/cut.js';
import { exposeOutputs } from '../onnx/edit/expose.js';
import { initializersToInputs, readWeights } from '../onnx/edit/weights.js';
import type { Model } from '../onnx/ir/model.js';
import type { Feeds } from '../runtime/feeds.js';
import type { RuntimeOptions } from '../runtime/options.js';
import { Session } from '../runtime/session.js';
import { GradientSession } from './gradient-session.js';

export interface GradcheckOptions {
  feeds: Feeds;
  /** Outputs to differentiate (default: every float graph output). */
  of?: readonly string[];
  /** Inputs, weights or intermediate tensors (default: every float graph input). */
  wrt?: readonly string[];
  /** Random directions per `wrt` value (default 3). */
  directions?: number;
  /**
   * Step(s) of the central difference, relative to the scale of the value. Default 1e-6 for
   * float64; for float32 the steps 1e-3, 3e-4 and 1e-4, keeping per direction the estimate
   * closest to the analytic value: float32 rounding favours large steps, the kinks of ReLU
   * networks small ones, and which wins depends on the model. A wrong gradient agrees at none.
   */
  epsilon?: number | readonly number[];
  seed?: number;
  runtime?: RuntimeOptions;
}

export interface GradcheckResult {
  wrt: string;
  dtype: string;
  /**
   * Worst |analytic − numeric| / max(|analytic|, |numeric|, ‖∇f‖) over the directions: relative
   * to the directional derivative, or to its typical size ‖∇f‖ (for v ~ N(0, I)) when a direction
   * happens to be nearly orthogonal to the gradient.
   */
  worstRelError: number;
  worstAbsError: number;
  checks: { analytic: number; numeric: number; epsilon: number }[];
}

/**
 * Checks gradients against central differences along random directions v: the analytic
 * ⟨∇f, v⟩ from the gradient graph against (f(x + εv) − f(x − εv)) / 2ε, where
 * f = Σ ⟨w, output⟩ with fixed random w (so every output element takes part).
 * `model` must be prepared (canonical, with shapes).
 */
export async function gradcheck(model: Model, options: GradcheckOptions): Promise<GradcheckResult[]> {
  const random = new Random(options.seed ?? 7);
  const graph = model.graph;
  const of = options.of ?? graph.outputs.filter((o) => isFloatValue(model, o.name)).map((o) => o.name);
  const wrt = options.wrt ?? graph.feedInputs.filter((i) => isFloatValue(model, i.name)).map((i) => i.name);
  if (wrt.length === 0) throw new GlassboxError('bad-gradient', 'the model has no float inputs to check; name tensors with --wrt');
  const weights = wrt.filter((n) => graph.initializers.has(n));
  const intermediates = wrt.filter((n) => !graph.initializers.has(n) && !graph.feedInputs.some((i) => i.name === n));

  // The current value of every wrt tensor.
  const values: Record<string, Tensor> = { ...options.feeds, ...Object.fromEntries(readWeights(model, weights)) };
  const forward = await Session.create(exposeOutputs(cloneModel(model), [...of, ...intermediates]), options.runtime);
  let base: Record<string, Tensor>;
  try {
    base = await forward.run(options.feeds, { outputs: [...of, ...intermediates] });
  } finally {
    await forward.release();
  }
  for (const name of intermediates) values[name] = base[name]!;
  const projections = Object.fromEntries(of.map((name) => [name, randomLike(base[name]!, random)]));

  const analytic = await GradientSession.create(model, { of, wrt }, options.runtime);
  let gradients: Record<string, Tensor>;
  try {
    gradients = (await analytic.run(options.feeds, projections)).gradients;
  } finally {
    await analytic.release();
  }

  // f(x) on the full model (weights fed as inputs) and, for intermediates, on the model cut there.
  const full = cloneModel(model);
  initializersToInputs(full, weights);
  const cut = intermediates.length > 0 ? cloneModelCut(model, weights, intermediates) : undefined;
  const fullSession = await Session.create(full, options.runtime);
  const cutSession = cut ? await Session.create(cut, options.runtime) : undefined;
  const f = async (name: string, value: Tensor): Promise<number> => {
    const session = intermediates.includes(name) ? cutSession! : fullSession;
    const feeds: Feeds = {};
    for (const input of session.inputs) {
      const v = input.name === name ? value : values[input.name];
      if (v) feeds[input.name] = v;
    }
    const out = await session.run(feeds, { outputs: of, allowNaN: true });
    return of.reduce((sum, o) => sum + dot(out[o]!, projections[o]!), 0);
  };

  const results: GradcheckResult[] = [];
  try {
    for (const name of wrt) {
      const x = values[name]!;
      const g = gradients[name]!;
      const scale = 1 + maxAbs(x);
      const steps = [options.epsilon ?? (x.dtype === 'float64' ? 1e-6 : [1e-3, 3e-4, 1e-4])].flat();
      const typical = Math.sqrt(dot(g, g));
      const checks: GradcheckResult['checks'] = [];
      let worstRel = 0;
      let worstAbs = 0;
      for (let k = 0; k < (options.directions ?? 3); k++) {
        const v = randomLike(x, random);
        const exact = dot(g, v);
        let best = { numeric: NaN, epsilon: NaN, abs: Infinity };
        for (const step of steps) {
          const eps = step * scale;
          const numeric = ((await f(name, axpy(x, eps, v))) - (await f(name, axpy(x, -eps, v)))) / (2 * eps);
          const error = Math.abs(exact - numeric);
          if (!(error >= best.abs)) best = { numeric, epsilon: step, abs: error };
        }
        const { numeric, abs } = best;
        const floor = Math.max(typical, 1e-12);
        worstRel = Math.max(worstRel, abs / Math.max(Math.abs(exact), Math.abs(numeric), floor));
        worstAbs = Math.max(worstAbs, abs);
        checks.push({ analytic: exact, numeric, epsilon: best.epsilon });
      }
      results.push({ wrt: name, dtype: x.dtype, worstRelError: worstRel, worstAbsError: worstAbs, checks });
    }
  } finally {
    await fullSession.release();
    await cutSession?.release();
  }
  return results;
}

function cloneModelCut(model: Model, weights: readonly string[], at: readonly string[]): Model {
  const copy = cloneModel(model);
  initializersToInputs(copy, weights);
  return cutAt(copy, at);
}

function isFloatValue(model: Model, name: string): boolean {
  const info = model.graph.typeOf(name);
  return info?.elemType === 1 || info?.elemType === 11 || info?.elemType === 10;
}

function randomLike(t: Tensor, random: Random): Tensor {
  if (!isFloat(t.dtype)) throw new GlassboxError('bad-gradient', `cannot check gradients of a ${t.dtype} tensor`);
  const out = Tensor.zeros(t.dtype, t.shape);
  random.fill(out.data as Float64Array);
  return out;
}

function axpy(x: Tensor, a: number, v: Tensor): Tensor {
  const out = Tensor.zeros(x.dtype, x.shape);
  const [o, xs, vs] = [out.data as Float64Array, x.data as Float64Array, v.data as Float64Array];
  for (let i = 0; i < o.length; i++) o[i] = xs[i]! + a * vs[i]!;
  return out;
}

function dot(a: Tensor, b: Tensor): number {
  const [x, y] = [a.data as Float64Array, b.data as Float64Array];
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function maxAbs(t: Tensor): number {
  let m = 0;
  for (const v of t.data as Float64Array) m = Math.max(m, Math.abs(v));
  return m;
}
