/**
 * Explaining one input with one or more of Captum's methods, as the CLI, the dashboard and the
 * demo all do: the subject (model + input) is resolved once, the target defaults to the
 * predicted class, and each method gets the options that fit the input (text baselines, masks).
 */
import { configureMethod, METHODS } from '../attribution/methods.js';
import type { Explanation, MethodResult } from './explanation.js';
import type { ModelRef } from './model-ref.js';
import { methodParams, resolveTarget, type ExplainOptions } from './params.js';
import { resolveSubject, type Subject, type SubjectRequest } from './subject.js';

export interface ExplainRequest extends ExplainOptions {
  /** Captum's method names in kebab case. */
  methods: readonly string[];
  /** The layer of layer and neuron methods. */
  layer?: string;
  /** Called as each method starts, and with its progress (fraction done, 0–1). */
  onMethod?: (title: string) => { update(fraction: number): void; stop(): void };
}

/** Runs the methods on a resolved subject (which stays the caller's to release). */
export async function explainSubject(ref: ModelRef, subject: Subject, request: ExplainRequest): Promise<Explanation> {
  const needsTarget = request.methods.some((m) => METHODS[m]?.reads.includes('target'));
  const { target, prediction } = await resolveTarget(subject, request.target, needsTarget);
  const results: MethodResult[] = [];
  for (const name of request.methods) {
    const started = performance.now();
    const configured = configureMethod(name, subject.explainable, await methodParams(name, request, subject, target), request.layer);
    const progress = request.onMethod?.(configured.title);
    if (progress) configured.options.onProgress = (done: number, total: number) => progress.update(total > 0 ? done / total : 1);
    let result;
    try {
      result = await configured.method.attribute(subject.input, configured.options);
    } finally {
      progress?.stop();
      // Methods that build models of their own (layer IG's cut) hold sessions until released.
      await (configured.method as { release?: () => Promise<void> }).release?.();
    }
    results.push({
      configured, attributions: result.attributions, seconds: (performance.now() - started) / 1000,
      ...(METHODS[name]!.layer && request.layer ? { layer: request.layer } : {}),
      ...(result.delta ? { delta: result.delta } : {}),
    });
  }
  return { modelLabel: ref.label, subject, target, results, ...(prediction ? { prediction } : {}) };
}

/**
 * Resolves the input, runs the methods and hands back the explanation; call `release()` on it
 * when done (it holds the model's sessions).
 */
export async function explain(ref: ModelRef, input: SubjectRequest, request: ExplainRequest): Promise<Explanation & { release(): Promise<void> }> {
  const subject = await resolveSubject(ref, input);
  try {
    return { ...(await explainSubject(ref, subject, request)), release: () => subject.release() };
  } catch (error) {
    await subject.release();
    throw error;
  }
}
